import { PUZZLE } from '../support/drops';
import { callJson, E2eServices } from '../support/e2e';
import { restoreClusters, stopClusters } from './cluster-nodes';

const services = new E2eServices();

afterAll(async () => {
  await restoreClusters();
  await services.cleanup();
}, 240_000);

const call = (url: string, method: string, token: string | null, body?: unknown) =>
  callJson<{ id: string; status: string; token: string; quantity: number; correct?: boolean }>(
    url,
    method,
    token,
    body,
  );

async function whenStatus(url: string, status: string, until: number): Promise<number> {
  while (Date.now() < until) {
    if ((await call(url, 'GET', null)).body.status === status) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never became ${status}`);
}

test('both clusters stopped and started again: the scheduled drop opens and closes, its stock comes home', async () => {
  const api = await services.start('api');
  const worker = await services.start('worker');
  const brand = await call(`${api.url}/v1/auth/signup`, 'POST', null, {
    email: 'brand@restart.test',
    password: 'restart-password',
    displayName: 'Restart',
    country: 'JP',
    accountType: 'brand',
    brandName: 'Restart Brand',
  });
  const member = await call(`${api.url}/v1/auth/signup`, 'POST', null, {
    email: 'member@restart.test',
    password: 'restart-password',
    displayName: 'Player',
    country: 'JP',
    accountType: 'member',
  });
  const listing = await call(`${api.url}/v1/listings`, 'POST', brand.body.token, {
    title: 'Restarted bowl',
    description: 'Survives',
    priceAmount: 5000,
    currency: 'JPY',
    quantity: 10,
    category: 'ceramics',
    condition: 'new',
  });
  // Past a whole stop and start of both clusters (~30 s here).
  const startsAt = Date.now() + 60_000;
  const drop = await call(`${api.url}/v1/campaigns/drops`, 'POST', brand.body.token, {
    title: 'Restart',
    listingId: listing.body.id,
    stock: 3,
    startsAt: new Date(startsAt).toISOString(),
    timezone: 'Asia/Tokyo',
    durationHours: 1 / 60,
    puzzle: PUZZLE,
  });
  expect(drop.status).toBe(201);

  // Everything down: the service's processes, then every Redis and Galera node, cleanly.
  for (const process of [api, worker]) {
    process.child.kill('SIGKILL');
    await process.exited;
  }
  const stopping = Date.now();
  await stopClusters();
  await restoreClusters();
  console.info(`both clusters stopped and started again in ${Date.now() - stopping} ms`);
  expect(Date.now()).toBeLessThan(startsAt - 5000);

  const [apiAgain] = await Promise.all([services.start('api'), services.start('worker')]);
  const url = `${apiAgain.url}/v1/campaigns/drops/${drop.body.id}`;
  expect((await call(url, 'GET', null)).body.status).toBe('scheduled');
  const opened = await whenStatus(url, 'live', startsAt + 5000);
  console.info(`drop opened ${opened - startsAt} ms after its start`);
  // A member signed up before the stop: their account and session came through it too.
  const win = await call(`${url}/attempts`, 'POST', member.body.token, { answer: 'mount fuji' });
  expect(win.body.correct).toBe(true);
  const endsAt = startsAt + 60_000;
  await whenStatus(url, 'ended', endsAt + 5000);
  // The 2 units nobody won go back to the listing; the one won stays held by its reservation.
  const after = await call(`${apiAgain.url}/v1/listings/${listing.body.id}`, 'GET', null);
  expect(after.body.quantity).toBe(9);
}, 240_000);
