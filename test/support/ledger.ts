import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { selectOne } from '../../src/db/sql';
import { signUp, type TestUser } from './fixtures';
import type { TestApp } from './test-app';

export interface Entry {
  id: string;
  amount: number;
  reason: string;
  sourceId: string;
  createdAt: string;
}

export interface Note {
  id: string;
  clientId: string;
  status: string;
}

export const draft = (fields: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  title: 'Tea in Uji',
  body: 'Matcha whisked by the river.',
  languages: ['ja'],
  ...fields,
});
/** One language and no tags: NOTE_POINTS. */
export const PLAIN = {};
/** Two languages: NOTE_POINTS + 10. */
export const CROSS = { languages: ['ja', 'en'] };

/**
 * What the ledger tests do through the API of `ctx` (a listening app; conversions settled
 * in-process, as the job would), and the checks they make on its database.
 */
export function ledgerClient(ctx: TestApp) {
  async function postNote(user: TestUser, fields: Record<string, unknown> = PLAIN): Promise<Note> {
    const res = await request(ctx.server).post('/v1/notes').set(user.auth).send(draft(fields));
    expect(res.status).toBe(201);
    return res.body as Note;
  }

  const like = async (user: TestUser, note: Note) => {
    const res = await request(ctx.server).post(`/v1/notes/${note.id}/likes`).set(user.auth);
    expect(res.status).toBe(200);
    return res.body as { likeCount: number };
  };
  const unlike = async (user: TestUser, note: Note) => {
    const res = await request(ctx.server).delete(`/v1/notes/${note.id}/likes`).set(user.auth);
    expect(res.status).toBe(200);
  };

  /** The balance and every ledger entry, walking the pages. */
  async function pointsOf(user: TestUser): Promise<{ balance: number; entries: Entry[] }> {
    const entries: Entry[] = [];
    let balance: number | undefined;
    let cursor: string | undefined;
    do {
      const res = await request(ctx.server)
        .get('/v1/me/points')
        .set(user.auth)
        .query({ limit: 100, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      balance ??= res.body.balance as number;
      entries.push(...(res.body.entries.data as Entry[]));
      cursor = res.body.entries.nextCursor ?? undefined;
    } while (cursor);
    return { balance: balance!, entries };
  }

  const balanceOf = async (user: TestUser) => (await pointsOf(user)).balance;

  async function entriesFor(user: TestUser, sourceId: string): Promise<Entry[]> {
    return (await pointsOf(user)).entries.filter((e) => e.sourceId === sourceId);
  }

  async function ledgerSum(memberId: string): Promise<number> {
    const row = await selectOne<{ total: number | null }>(
      ctx.db,
      'SELECT SUM(amount) AS total FROM point_entries WHERE member_id = ?',
      [memberId],
    );
    return Number(row?.total ?? 0);
  }

  async function storedBalance(memberId: string): Promise<number> {
    const row = await selectOne<{ balance: number }>(
      ctx.db,
      'SELECT balance FROM point_balances WHERE member_id = ?',
      [memberId],
    );
    return Number(row?.balance ?? 0);
  }

  /** API balance = sum of the ledger = the balance row, never below 0. */
  async function expectConsistent(user: TestUser): Promise<number> {
    const { balance, entries } = await pointsOf(user);
    const sum = await ledgerSum(user.id);
    const stored = await storedBalance(user.id);
    expect({ balance, sum, stored, entriesSum: entries.reduce((s, e) => s + e.amount, 0) }).toEqual(
      {
        balance,
        sum: balance,
        stored: balance,
        entriesSum: balance,
      },
    );
    expect(balance).toBeGreaterThanOrEqual(0);
    return balance;
  }

  const members = (n: number, overrides: Record<string, unknown> = {}) =>
    Promise.all(Array.from({ length: n }, () => signUp(ctx.app, overrides)));

  async function grant(role: 'moderator' | 'admin'): Promise<TestUser> {
    const user = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(user.email, role);
    return user;
  }

  const moderate = (moderator: TestUser, note: Note, action: 'approve' | 'reject') =>
    request(ctx.server)
      .post(`/v1/moderation/notes/${note.id}/${action}`)
      .set(moderator.auth)
      .send(action === 'reject' ? { reason: 'Not a cultural note' } : undefined);

  async function createOffer(brand: TestUser, fields: Record<string, unknown> = {}) {
    const now = ctx.clock.now();
    const res = await request(ctx.server)
      .post('/v1/campaigns/points-offers')
      .set(brand.auth)
      .send({
        title: 'Washi notebook, 15% off',
        pointsCost: 40,
        coupon: { discountType: 'percent', percentOff: 15, validDays: 30 },
        budget: 100,
        perUserLimit: 1,
        startsAt: now.minus({ minutes: 5 }).toISO(),
        endsAt: now.plus({ days: 7 }).toISO(),
        ...fields,
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; pointsCost: number };
  }

  /** Asks for a conversion through the API and settles it in-process, as the job would. */
  async function convert(member: TestUser, offerId: string) {
    const asked = await request(ctx.server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId });
    expect(asked.status).toBe(202);
    await ctx.services.conversions.settle(asked.body.id);
    const settled = await request(ctx.server)
      .get(`/v1/points/conversions/${asked.body.id}`)
      .set(member.auth);
    expect(settled.status).toBe(200);
    return settled.body as {
      id: string;
      status: string;
      reason: string | null;
      pointsCost: number;
    };
  }

  return {
    postNote,
    like,
    unlike,
    pointsOf,
    balanceOf,
    entriesFor,
    ledgerSum,
    storedBalance,
    expectConsistent,
    members,
    grant,
    moderate,
    createOffer,
    convert,
  };
}
