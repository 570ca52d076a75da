import { PUZZLE } from '../support/drops';
import { callJson, E2eServices } from '../support/e2e';

const services = new E2eServices();

afterAll(() => services.cleanup());

const call = (url: string, method: string, token: string | null, body?: unknown) =>
  callJson<{ id: string; status: string; token: string; quantity: number }>(
    url,
    method,
    token,
    body,
  );

async function whenStatus(url: string, status: string, until: number): Promise<number> {
  while (Date.now() < until) {
    if ((await call(url, 'GET', null)).body.status === status) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never became ${status}`);
}

test('a drop opens and closes on time (within 2 s) after its worker was killed and restarted before the start', async () => {
  const api = await services.start('api');
  const first = await services.start('worker');

  const brand = await call(`${api.url}/v1/auth/signup`, 'POST', null, {
    email: 'brand@schedule.test',
    password: 'schedule-password',
    displayName: 'Clock',
    country: 'JP',
    accountType: 'brand',
    brandName: 'Clockwork',
  });
  const listing = await call(`${api.url}/v1/listings`, 'POST', brand.body.token, {
    title: 'Timed bowl',
    description: 'On time',
    priceAmount: 5000,
    currency: 'JPY',
    quantity: 10,
    category: 'ceramics',
    condition: 'new',
  });
  // Far enough ahead that killing and restarting the worker (a tsx start, a few seconds on a
  // loaded 2-core machine) surely happens before it.
  const startsAt = Date.now() + 15_000;
  const drop = await call(`${api.url}/v1/campaigns/drops`, 'POST', brand.body.token, {
    title: 'On time',
    listingId: listing.body.id,
    stock: 3,
    startsAt: new Date(startsAt).toISOString(),
    timezone: 'Asia/Tokyo',
    durationHours: 1 / 60,
    puzzle: PUZZLE,
  });
  expect(drop.status).toBe(201);
  const endsAt = startsAt + 60_000;

  first.child.kill('SIGKILL');
  await first.exited;
  await services.start('worker');

  const url = `${api.url}/v1/campaigns/drops/${drop.body.id}`;
  expect((await call(url, 'GET', null)).body.status).toBe('scheduled');
  const opened = await whenStatus(url, 'live', startsAt + 2000);
  expect(opened).toBeGreaterThanOrEqual(startsAt - 50);
  const closed = await whenStatus(url, 'ended', endsAt + 2000);
  expect(closed).toBeGreaterThanOrEqual(endsAt - 50);
  const after = await call(`${api.url}/v1/listings/${listing.body.id}`, 'GET', null);
  expect(after.body.quantity).toBe(10);
}, 120_000);
