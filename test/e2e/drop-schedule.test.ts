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

/** The shortest drop API.md allows: one minute. */
const DURATION_MS = 60_000;
/**
 * Far enough ahead that killing and restarting the worker (a start of the compiled service, up
 * to 5 s on a loaded 2-core machine) surely happens before it.
 */
const RESTART_MS = 10_000;

test('drops open and close on time (within 2 s) after their worker was killed and restarted before then', async () => {
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
  const newListing = async () =>
    (
      await call(`${api.url}/v1/listings`, 'POST', brand.body.token, {
        title: 'Timed bowl',
        description: 'On time',
        priceAmount: 5000,
        currency: 'JPY',
        quantity: 10,
        category: 'ceramics',
        condition: 'new',
      })
    ).body.id;
  const newDrop = (listingId: string, startsAt: number) =>
    call(`${api.url}/v1/campaigns/drops`, 'POST', brand.body.token, {
      title: 'On time',
      listingId,
      stock: 3,
      startsAt: new Date(startsAt).toISOString(),
      timezone: 'Asia/Tokyo',
      durationHours: DURATION_MS / 3_600_000,
      puzzle: PUZZLE,
    });
  // One drop opens after the restart. The other (a start up to a minute back is accepted)
  // opened before the kill and closes after the restart, so neither switch waits a whole
  // minute-long drop.
  const [opening, closing] = [await newListing(), await newListing()];
  const startsAt = Date.now() + RESTART_MS;
  const endsAt = startsAt + 3000;
  const toOpen = await newDrop(opening, startsAt);
  expect(toOpen.status).toBe(201);
  const toClose = await newDrop(closing, endsAt - DURATION_MS);
  expect(toClose.status).toBe(201);
  const url = (id: string) => `${api.url}/v1/campaigns/drops/${id}`;
  await whenStatus(url(toClose.body.id), 'live', Date.now() + 10_000);

  first.child.kill('SIGKILL');
  await first.exited;
  await services.start('worker');

  expect((await call(url(toOpen.body.id), 'GET', null)).body.status).toBe('scheduled');
  expect((await call(url(toClose.body.id), 'GET', null)).body.status).toBe('live');
  const opened = await whenStatus(url(toOpen.body.id), 'live', startsAt + 2000);
  expect(opened).toBeGreaterThanOrEqual(startsAt - 50);
  const closed = await whenStatus(url(toClose.body.id), 'ended', endsAt + 2000);
  expect(closed).toBeGreaterThanOrEqual(endsAt - 50);
  // The closed drop's unsold units are back on its listing.
  const after = await call(`${api.url}/v1/listings/${closing}`, 'GET', null);
  expect(after.body.quantity).toBe(10);
}, 120_000);
