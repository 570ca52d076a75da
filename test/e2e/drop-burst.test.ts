import { Db } from '../../src/db/db';
import { selectOne } from '../../src/db/sql';
import { bulkMembers, PUZZLE } from '../support/drops';
import { callJson, E2eServices } from '../support/e2e';

const services = new E2eServices();

afterAll(() => services.cleanup());

interface Answer {
  id: string;
  token: string;
  status: string;
  correct?: boolean;
  error: { code: string };
}
const call = (url: string, method: string, token: string | null, body?: unknown) =>
  callJson<Answer>(url, method, token, body);

test('two API processes, 500 members at once, 50 units: exactly 50 reservations, the rest sold_out, no 5xx', async () => {
  // One worker process opens the drop; two API processes share Redis and MySQL.
  await services.start('worker');
  const [apiA, apiB] = await Promise.all([services.start('api'), services.start('api')]);

  const brand = await call(`${apiA!.url}/v1/auth/signup`, 'POST', null, {
    email: 'brand@burst.test',
    password: 'burst-password',
    displayName: 'Burst',
    country: 'JP',
    accountType: 'brand',
    brandName: 'Burst Brand',
  });
  const token = brand.body.token as string;
  const listing = await call(`${apiA!.url}/v1/listings`, 'POST', token, {
    title: 'Burst bowl',
    description: 'Fifty only',
    priceAmount: 5000,
    currency: 'JPY',
    quantity: 60,
    category: 'ceramics',
    condition: 'new',
  });
  expect(listing.status).toBe(201);
  const drop = await call(`${apiA!.url}/v1/campaigns/drops`, 'POST', token, {
    title: 'Burst',
    listingId: listing.body.id,
    stock: 50,
    startsAt: new Date(Date.now() + 1000).toISOString(),
    timezone: 'Asia/Tokyo',
    durationHours: 1,
    puzzle: PUZZLE,
  });
  expect(drop.status).toBe(201);

  const db = new Db(services.env.DATABASE_URL!, { poolMax: 2 });
  try {
    const members = await bulkMembers(db, 500);
    const deadline = Date.now() + 10_000;
    while (
      (await call(`${apiB!.url}/v1/campaigns/drops/${drop.body.id}`, 'GET', null)).body.status !==
      'live'
    ) {
      if (Date.now() > deadline) throw new Error('drop did not open');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const answers = await Promise.all(
      members.map((m, i) =>
        call(
          `${(i % 2 ? apiA : apiB)!.url}/v1/campaigns/drops/${drop.body.id}/attempts`,
          'POST',
          m.token,
          { answer: 'mount fuji' },
        ),
      ),
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => a.status === 200 && a.body.correct === true)).toHaveLength(50);
    expect(
      answers.filter((a) => a.status === 409 && a.body.error.code === 'sold_out'),
    ).toHaveLength(450);
    const reservations = await selectOne<{ n: number; users: number }>(
      db,
      'SELECT COUNT(*) AS n, COUNT(DISTINCT user_id) AS users FROM drop_reservations WHERE drop_id = ?',
      [drop.body.id],
    );
    expect(Number(reservations!.n)).toBe(50);
    expect(Number(reservations!.users)).toBe(50);
  } finally {
    await db.close();
  }
}, 60_000);
