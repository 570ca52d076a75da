import { dropDatabase } from '../../src/db/database';
import { PUZZLE } from '../support/drops';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { MYSQL_SERVER_URL, TEST_REDIS_URL, uniqueTestName } from '../support/test-env';

const name = uniqueTestName();
const env = {
  DATABASE_URL: `${MYSQL_SERVER_URL}/${name}`,
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: name,
  RATE_LIMIT_SCALE: '0',
  DEMO_SEED: 'false',
  LOG_LEVEL: 'warn',
};
const processes: ServiceProcess[] = [];
const port = () => 30000 + Math.floor(Math.random() * 20000);

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(processes.map((p) => p.exited));
  await dropDatabase(env.DATABASE_URL);
});

async function call(url: string, method: string, token: string | null, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { id: string; status: string; token: string; error?: unknown },
  };
}

async function whenStatus(url: string, status: string, until: number): Promise<number> {
  while (Date.now() < until) {
    if ((await call(url, 'GET', null)).body.status === status) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never became ${status}`);
}

test('a drop opens and closes on time (within 2 s) after its worker was killed and restarted before the start', async () => {
  const api = await startServiceProcess({ ...env, ROLE: 'api' }, port());
  processes.push(api);
  let worker = await startServiceProcess({ ...env, ROLE: 'worker' }, port());
  processes.push(worker);

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
  const startsAt = Date.now() + 6000;
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

  worker.child.kill('SIGKILL');
  await worker.exited;
  worker = await startServiceProcess({ ...env, ROLE: 'worker' }, port());
  processes.push(worker);

  const url = `${api.url}/v1/campaigns/drops/${drop.body.id}`;
  expect((await call(url, 'GET', null)).body.status).toBe('scheduled');
  const opened = await whenStatus(url, 'live', startsAt + 2000);
  expect(opened).toBeGreaterThanOrEqual(startsAt - 50);
  const closed = await whenStatus(url, 'ended', endsAt + 2000);
  expect(closed).toBeGreaterThanOrEqual(endsAt - 50);
  const after = await call(`${api.url}/v1/listings/${listing.body.id}`, 'GET', null);
  expect((after.body as unknown as { quantity: number }).quantity).toBe(10);
}, 90_000);
