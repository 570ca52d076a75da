import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/db/database';
import { newId } from '../../src/ids';
import { DEVELOPMENT_HMAC_KEY, emailHmac } from '../../src/vault';
import { callJson, E2eServices } from '../support/e2e';

const services = new E2eServices();
let pool: Pool | undefined;

afterAll(async () => {
  await pool?.end();
  await services.cleanup();
});

const ELIGIBLE = 20_000;
const OPTED_OUT = 300;
const POOR = 300;
const START_BALANCE = 100;
const POOR_BALANCE = 20;
const COST = 30;

interface Job {
  id: string;
  state: string;
  progress: { done: number; total: number };
  result?: { issued: number; stoppedBy: string | null };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Members written straight to MySQL: opted in or not, with a balance and the ledger entry behind it. */
async function seedMembers(db: Pool, count: number, optedIn: boolean, balance: number) {
  const ids: string[] = [];
  const now = new Date();
  for (let offset = 0; offset < count; offset += 1000) {
    const chunk = Array.from({ length: Math.min(1000, count - offset) }, () => newId('usr'));
    ids.push(...chunk);
    await db.query(
      `INSERT INTO users (id, email, email_hmac, password_hash, display_name, country, timezone,
         roles, auto_convert_points, created_at, updated_at) VALUES ?`,
      [
        chunk.map((id) => [
          id,
          `${id}@airdrop.test`,
          // As signup writes it: a worker starting finds no account to backfill one by one.
          emailHmac(DEVELOPMENT_HMAC_KEY, `${id}@airdrop.test`),
          'scrypt$disabled',
          'Seeded',
          'JP',
          'Asia/Tokyo',
          'member',
          optedIn ? 1 : 0,
          now,
          now,
        ]),
      ],
    );
    await db.query('INSERT INTO point_balances (member_id, balance, updated_at) VALUES ?', [
      chunk.map((id) => [id, balance, now]),
    ]);
    await db.query(
      'INSERT INTO point_entries (id, member_id, amount, reason, source_id, created_at) VALUES ?',
      [chunk.map((id) => [newId('pte'), id, balance, 'note_published', newId('nte'), now])],
    );
  }
  return ids;
}

async function rows<T>(db: Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  const [result] = await db.query<RowDataPacket[]>(sql, params);
  return result as T[];
}

test('worker killed with SIGKILL mid-airdrop, restarted: totals identical to an uninterrupted run', async () => {
  // The killed worker's active job is taken up again once its 2 s lock lapses.
  services.env.JOB_LOCK_MS = '2000';
  const api = await services.start('api');
  const first = await services.start('worker');

  const signup = await callJson<{ token: string; user: { brandId: string } }>(
    `${api.url}/v1/auth/signup`,
    'POST',
    null,
    {
      email: 'brand@airdrop.test',
      password: 'airdrop-password',
      displayName: 'Airdrop',
      country: 'JP',
      accountType: 'brand',
      brandName: 'Airdrop Brand',
    },
  );
  expect(signup.status).toBe(201);
  const token = signup.body.token;
  const createOffer = async (title: string) => {
    const res = await callJson<{ id: string }>(
      `${api.url}/v1/campaigns/points-offers`,
      'POST',
      token,
      {
        title,
        pointsCost: COST,
        coupon: { discountType: 'percent', percentOff: 10, validDays: 30 },
        budget: 1_000_000,
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    );
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const getJob = async (jobId: string) => {
    const res = await callJson<Job>(`${api.url}/v1/jobs/${jobId}`, 'GET', token);
    expect(res.status).toBe(200);
    return res.body;
  };
  const completed = async (jobId: string, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const job = await getJob(jobId);
      if (job.state === 'completed') return job;
      if (job.state === 'failed') throw new Error(`airdrop failed: ${JSON.stringify(job)}`);
      if (Date.now() > deadline) throw new Error(`airdrop not completed: ${JSON.stringify(job)}`);
      await sleep(100);
    }
  };
  const airdrop = async (offerId: string) => {
    const res = await callJson<{ jobId: string }>(
      `${api.url}/v1/campaigns/points-offers/${offerId}/airdrop`,
      'POST',
      token,
    );
    expect(res.status).toBe(202);
    return res.body.jobId;
  };

  const target = parseDatabaseUrl(services.env.DATABASE_URL!);
  const db = mysql.createPool({
    ...target.server,
    database: target.database,
    timezone: 'Z',
    connectionLimit: 2,
  });
  pool = db;
  const eligible = await seedMembers(db, ELIGIBLE, true, START_BALANCE);
  const optedOut = await seedMembers(db, OPTED_OUT, false, START_BALANCE);
  const poor = await seedMembers(db, POOR, true, POOR_BALANCE);

  // Interrupted run: SIGKILL the worker while batches are still to come.
  const crashed = await createOffer('Crashed run');
  const crashedJob = await airdrop(crashed);
  let seen: Job;
  for (;;) {
    seen = await getJob(crashedJob);
    if (seen.progress.done > 0) break;
    expect(seen.state).not.toBe('completed');
    await sleep(10);
  }
  first.child.kill('SIGKILL');
  await first.exited;
  expect(seen.progress.total).toBe(ELIGIBLE);
  expect(seen.progress.done).toBeLessThan(ELIGIBLE);
  const atKill = await getJob(crashedJob);
  expect(atKill.state).toBe('active');
  expect(atKill.progress.done).toBeLessThan(ELIGIBLE);

  await services.start('worker');
  const resumed = await completed(crashedJob, 45_000);
  expect(resumed).toEqual({
    id: crashedJob,
    kind: 'airdrop',
    state: 'completed',
    progress: { done: ELIGIBLE, total: ELIGIBLE },
    result: { issued: ELIGIBLE, stoppedBy: null },
  });

  const totals = async (offerId: string, jobId: string) => {
    const [coupons] = await rows<{ n: number; owners: number }>(
      db,
      'SELECT COUNT(*) AS n, COUNT(DISTINCT owner_id) AS owners FROM coupons WHERE offer_id = ?',
      [offerId],
    );
    const [entries] = await rows<{ n: number; members: number; total: number }>(
      db,
      `SELECT COUNT(*) AS n, COUNT(DISTINCT member_id) AS members, SUM(amount) AS total
         FROM point_entries WHERE reason = 'airdrop' AND source_id = ?`,
      [jobId],
    );
    const [offer] = await rows<{ issued: number }>(
      db,
      'SELECT issued FROM points_offers WHERE id = ?',
      [offerId],
    );
    const [run] = await rows<{ done: number; issued: number }>(
      db,
      'SELECT done, issued FROM airdrops WHERE id = ?',
      [jobId],
    );
    const twice = await rows<{ ownerId: string }>(
      db,
      'SELECT owner_id AS ownerId FROM coupons WHERE offer_id = ? GROUP BY owner_id HAVING COUNT(*) > 1',
      [offerId],
    );
    return {
      coupons: Number(coupons!.n),
      owners: Number(coupons!.owners),
      entries: Number(entries!.n),
      debitedMembers: Number(entries!.members),
      debited: Number(entries!.total),
      offerIssued: Number(offer!.issued),
      airdropDone: Number(run!.done),
      airdropIssued: Number(run!.issued),
      ownedTwice: twice,
    };
  };
  const expected = {
    coupons: ELIGIBLE,
    owners: ELIGIBLE,
    entries: ELIGIBLE,
    debitedMembers: ELIGIBLE,
    debited: -COST * ELIGIBLE,
    offerIssued: ELIGIBLE,
    airdropDone: ELIGIBLE,
    airdropIssued: ELIGIBLE,
    ownedTwice: [],
  };
  const afterCrash = await totals(crashed, crashedJob);
  expect(afterCrash).toEqual(expected);

  const ownersOf = async (offerId: string) =>
    (
      await rows<{ ownerId: string }>(
        db,
        'SELECT owner_id AS ownerId FROM coupons WHERE offer_id = ? ORDER BY owner_id',
        [offerId],
      )
    ).map((r) => r.ownerId);
  const eligibleSorted = [...eligible].sort();
  expect(await ownersOf(crashed)).toEqual(eligibleSorted);

  const balancesNow = async () =>
    new Map(
      (
        await rows<{ memberId: string; balance: number }>(
          db,
          'SELECT member_id AS memberId, balance FROM point_balances',
        )
      ).map((r) => [r.memberId, Number(r.balance)]),
    );
  const expectBalances = (balances: Map<string, number>, eligibleBalance: number) => {
    const wrong = [
      ...eligible.filter((id) => balances.get(id) !== eligibleBalance),
      ...optedOut.filter((id) => balances.get(id) !== START_BALANCE),
      ...poor.filter((id) => balances.get(id) !== POOR_BALANCE),
    ];
    expect(wrong).toEqual([]);
  };
  const ledgerDrift = () =>
    rows<{ memberId: string }>(
      db,
      `SELECT b.member_id AS memberId FROM point_balances b
         LEFT JOIN (SELECT member_id, SUM(amount) AS total FROM point_entries GROUP BY member_id) e
           ON e.member_id = b.member_id
        WHERE b.balance <> COALESCE(e.total, 0)`,
    );
  expectBalances(await balancesNow(), START_BALANCE - COST);
  expect(await ledgerDrift()).toEqual([]);
  const offerView = await callJson<{ issued: number }>(
    `${api.url}/v1/campaigns/points-offers/${crashed}`,
    'GET',
    null,
  );
  expect(offerView.body.issued).toBe(ELIGIBLE);

  // Uninterrupted run of an equal offer on the same members: the same totals.
  const steady = await createOffer('Steady run');
  const steadyJob = await airdrop(steady);
  const uninterrupted = await completed(steadyJob, 45_000);
  expect(uninterrupted.result).toEqual(resumed.result);
  expect(uninterrupted.progress).toEqual(resumed.progress);
  expect(await totals(steady, steadyJob)).toEqual(afterCrash);
  expect(await ownersOf(steady)).toEqual(eligibleSorted);
  expectBalances(await balancesNow(), START_BALANCE - 2 * COST);
  expect(await ledgerDrift()).toEqual([]);
}, 120_000);
