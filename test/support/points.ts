import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { App } from '../../src/http/front-door';
import request from 'supertest';
import { selectOne, selectRows } from '../../src/db/sql';
import { eventually, signUp, type TestUser } from './fixtures';
import type { TestApp } from './test-app';

export const ID = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}$/;
export const COUPON_CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;
export const HOUR = 3600_000;

export interface Conversion {
  id: string;
  offerId: string;
  status: 'pending' | 'completed' | 'failed';
  reason: string | null;
  pointsCost: number | null;
  couponCode: string | null;
  createdAt: string;
  settledAt: string | null;
}

/** A note through the API: two languages earn 30 points, one language and no tags 20. */
export async function postNote(app: App | Server, member: TestUser, award: 20 | 30): Promise<void> {
  const res = await request(app)
    .post('/v1/notes')
    .set(member.auth)
    .send({
      clientId: randomUUID(),
      title: 'Tea in Uji',
      body: 'How the first flush is picked.',
      languages: award === 30 ? ['ja', 'en'] : ['ja'],
    });
  if (res.status !== 201 || res.body.status !== 'published')
    throw new Error(`note failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * What the points tests do through the API of `ctx` (a listening app with workers), and the
 * ledger checks they make on its database.
 */
export function pointsClient(ctx: TestApp) {
  /** Posts one note per award, and checks the balance they made. */
  async function earn(member: TestUser, ...awards: Array<20 | 30>): Promise<void> {
    const before = await balanceOf(member);
    for (const award of awards) await postNote(ctx.server, member, award);
    expect(await balanceOf(member)).toBe(before + awards.reduce((sum, a) => sum + a, 0));
  }

  async function memberWith(...awards: Array<20 | 30>): Promise<TestUser> {
    const member = await signUp(ctx.app);
    await earn(member, ...awards);
    return member;
  }

  async function points(member: TestUser) {
    const res = await request(ctx.server).get('/v1/me/points?limit=100').set(member.auth);
    expect(res.status).toBe(200);
    return res.body as {
      balance: number;
      entries: {
        data: Array<{ id: string; amount: number; reason: string; sourceId: string }>;
        nextCursor: string | null;
      };
    };
  }

  const balanceOf = async (member: TestUser) => (await points(member)).balance;

  async function couponsOf(member: TestUser) {
    const res = await request(ctx.server).get('/v1/me/coupons?limit=100').set(member.auth);
    expect(res.status).toBe(200);
    return res.body.data as Array<Record<string, unknown> & { code: string; brandId: string }>;
  }

  const getOffer = async (id: string) =>
    (await request(ctx.server).get(`/v1/campaigns/points-offers/${id}`)).body as {
      issued: number;
      status: string;
    };

  async function requestConversion(member: TestUser, offerId: string): Promise<Conversion> {
    const res = await request(ctx.server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId });
    expect(res.status).toBe(202);
    return res.body as Conversion;
  }

  function settled(member: TestUser, id: string, ms = 10_000): Promise<Conversion> {
    return eventually(async () => {
      const res = await request(ctx.server).get(`/v1/points/conversions/${id}`).set(member.auth);
      expect(res.status).toBe(200);
      return res.body.status === 'pending' ? undefined : (res.body as Conversion);
    }, ms);
  }

  async function convert(member: TestUser, offerId: string): Promise<Conversion> {
    return settled(member, (await requestConversion(member, offerId)).id);
  }

  /** A conversion asked for: refused at once (409, its code), or accepted (202) and settled. */
  async function conversionOutcome(
    member: TestUser,
    offerId: string,
    asked?: Promise<request.Response>,
  ): Promise<{ status: string; reason: string | null; id?: string; couponCode?: string | null }> {
    const res = await (asked ??
      request(ctx.server).post('/v1/points/conversions').set(member.auth).send({ offerId }));
    if (res.status === 409) return { status: 'refused', reason: res.body.error.code as string };
    expect(res.status).toBe(202);
    return settled(member, res.body.id as string);
  }

  /** A refusal at once: 409 with the reason as its code, naming offerId, and nothing recorded. */
  async function expectRefused(member: TestUser, offerId: string, reason: string): Promise<void> {
    const before = await count('SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?', [
      member.id,
    ]);
    const res = await request(ctx.server)
      .post('/v1/points/conversions')
      .set(member.auth)
      .send({ offerId });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ type: 'conflict', code: reason, param: 'offerId' });
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(
      await count('SELECT COUNT(*) AS n FROM point_conversions WHERE member_id = ?', [member.id]),
    ).toBe(before);
  }

  async function count(sql: string, params: unknown[]): Promise<number> {
    const row = await selectOne<{ n: number }>(ctx.db, sql, params);
    return Number(row!.n);
  }

  const offerCoupons = (offerId: string) =>
    count('SELECT COUNT(*) AS n FROM coupons WHERE offer_id = ?', [offerId]);

  const entriesWith = (memberId: string, reason: string) =>
    count('SELECT COUNT(*) AS n FROM point_entries WHERE member_id = ? AND reason = ?', [
      memberId,
      reason,
    ]);

  /** Every member's balance is the sum of their ledger. */
  async function expectLedgerMatchesBalances(): Promise<void> {
    const drift = await selectRows<{ memberId: string }>(
      ctx.db,
      `SELECT b.member_id AS memberId FROM point_balances b
         LEFT JOIN (SELECT member_id, SUM(amount) AS total FROM point_entries GROUP BY member_id) e
           ON e.member_id = b.member_id
        WHERE b.balance <> COALESCE(e.total, 0)`,
    );
    expect(drift).toEqual([]);
  }

  return {
    earn,
    memberWith,
    points,
    balanceOf,
    couponsOf,
    getOffer,
    requestConversion,
    settled,
    convert,
    conversionOutcome,
    expectRefused,
    count,
    offerCoupons,
    entriesWith,
    expectLedgerMatchesBalances,
  };
}
