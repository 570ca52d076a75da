import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from '../../src/redis/connection';

const script = (name: string) => readFileSync(path.join(__dirname, name), 'utf8');

export type AttemptOutcome =
  | 'rate_limited'
  | 'drop_not_live'
  | 'attempts_exhausted'
  | 'wrong'
  | 'limit_reached'
  | 'sold_out'
  | 'reserved';

/** Attempts a member may send per window, across every API process; null: no limit. */
export type AttemptRate = { points: number; windowMs: number } | null;

interface DropScripts {
  dropAttempt(...args: string[]): Promise<[AttemptOutcome, number]>;
  dropRelease(...args: string[]): Promise<number>;
  dropOpen(...args: string[]): Promise<number>;
  dropRepair(...args: string[]): Promise<[number, number, number]>;
}

interface DropKeys {
  state: string;
  wrong: string;
  claims: string;
  participants: string;
  claimedAt: string;
  activity: string;
}

/** Drops whose key names an API process keeps at most. */
const KEPT_KEY_SETS = 1000;

export interface LiveCounters {
  status: string | null;
  stock: number;
  attempts: number;
  solves: number;
  reservations: number;
  participants: number;
}

/**
 * A drop's hot state in Redis. Keys share the hash tag `{<dropId>}` so the Lua scripts work
 * on Redis Cluster too. MySQL stays the record of every unit won (drop_reservations).
 */
export class DropState {
  private readonly redis: Redis & DropScripts;
  private readonly keySets = new Map<string, DropKeys>();

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly attemptRate: AttemptRate = null,
  ) {
    this.redis = redis as Redis & DropScripts;
    if (!('dropAttempt' in redis)) {
      redis.defineCommand('dropAttempt', { numberOfKeys: 7, lua: script('attempt.lua') });
      redis.defineCommand('dropRelease', { numberOfKeys: 2, lua: script('release.lua') });
      redis.defineCommand('dropOpen', { numberOfKeys: 2, lua: script('open.lua') });
      redis.defineCommand('dropRepair', { numberOfKeys: 3, lua: script('repair.lua') });
    }
  }

  /** Built once per drop: a burst would otherwise build the same six strings per attempt. */
  private keys(dropId: string): DropKeys {
    let keys = this.keySets.get(dropId);
    if (keys) return keys;
    // Few drops run at once; a long-lived process starts over rather than keep every past one.
    if (this.keySets.size >= KEPT_KEY_SETS) this.keySets.clear();
    const base = `${this.prefix}:drop:{${dropId}}`;
    keys = {
      state: `${base}:state`,
      wrong: `${base}:wrong`,
      claims: `${base}:claims`,
      participants: `${base}:participants`,
      claimedAt: `${base}:claimed-at`,
      activity: `${base}:activity`,
    };
    this.keySets.set(dropId, keys);
    return keys;
  }

  /** Expires with its rate window, so it needs no cleanup when the drop ends. */
  private rateKey(dropId: string, memberId: string) {
    return `${this.prefix}:drop:{${dropId}}:rate:${memberId}`;
  }

  async attempt(
    dropId: string,
    memberId: string,
    isCorrect: boolean,
    maxWrong: number,
    perUserLimit: number,
  ) {
    const k = this.keys(dropId);
    const [outcome, value] = await this.redis.dropAttempt(
      k.state,
      k.wrong,
      k.claims,
      k.participants,
      this.rateKey(dropId, memberId),
      k.claimedAt,
      k.activity,
      memberId,
      isCorrect ? '1' : '0',
      String(maxWrong),
      String(perUserLimit),
      String(this.attemptRate?.points ?? 0),
      String(this.attemptRate?.windowMs ?? 0),
    );
    return { outcome, value: Number(value) };
  }

  /** Answers whether the unit went back to the live pool. */
  async release(dropId: string, memberId: string): Promise<boolean> {
    const k = this.keys(dropId);
    return (await this.redis.dropRelease(k.state, k.claims, memberId)) === 1;
  }

  async open(
    dropId: string,
    stockLeft: number,
    claims: Array<{ userId: string; units: number }>,
  ): Promise<void> {
    const k = this.keys(dropId);
    await this.redis.dropOpen(
      k.state,
      k.claims,
      String(stockLeft),
      ...claims.flatMap((c) => [c.userId, String(c.units)]),
    );
  }

  /**
   * Sets a live pool to what MySQL holds (see repair.lua): per member, unless a claim or a
   * release of theirs is younger than `graceMs`; then the stock from every claim.
   */
  async repair(
    dropId: string,
    stock: number,
    graceMs: number,
    held: Array<{ userId: string; units: number; quiet: boolean }>,
  ): Promise<{ live: boolean; members: number; stockBefore: number; stockAfter: number }> {
    const k = this.keys(dropId);
    const [members, stockBefore, stockAfter] = await this.redis.dropRepair(
      k.state,
      k.claims,
      k.claimedAt,
      String(stock),
      String(graceMs),
      ...held.flatMap((h) => [h.userId, String(h.units), h.quiet ? '1' : '0']),
    );
    return { live: members >= 0, members: Math.max(0, members), stockBefore, stockAfter };
  }

  /** Units claimed per member, as Redis has them. */
  async claims(dropId: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys(dropId).claims);
    return Object.fromEntries(
      Object.entries(raw).map(([member, units]) => [member, Number(units)]),
    );
  }

  /** Units left to win in the live pool; null when Redis holds no pool for the drop. */
  async stockLeft(dropId: string): Promise<number | null> {
    const stock = await this.redis.hget(this.keys(dropId).state, 'stock');
    return stock === null ? null : Number(stock);
  }

  /** Wrong answers a member has given, as attempt.lua counts them. */
  async wrongAnswers(dropId: string, memberId: string): Promise<number> {
    return Number((await this.redis.hget(this.keys(dropId).wrong, memberId)) ?? 0);
  }

  /**
   * A winner's token, kept as long as their reservation lasts, so a member who comes back can
   * be shown their purchase link again: MySQL keeps only its hash. The token alone buys nothing
   * (checkout also wants the winner signed in).
   */
  async keepPurchaseToken(dropId: string, reservationId: string, token: string, ms: number) {
    await this.redis.set(this.purchaseTokenKey(dropId, reservationId), token, 'PX', ms);
  }

  /** The kept tokens of these reservations, in their order; null where none is kept. */
  async purchaseTokens(dropId: string, reservationIds: string[]): Promise<Array<string | null>> {
    return Promise.all(
      reservationIds.map((id) => this.redis.get(this.purchaseTokenKey(dropId, id))),
    );
  }

  private purchaseTokenKey(dropId: string, reservationId: string) {
    return `${this.prefix}:drop:{${dropId}}:purchase:${reservationId}`;
  }

  async setStatus(dropId: string, status: 'ended' | 'canceled'): Promise<void> {
    await this.redis.hset(this.keys(dropId).state, 'status', status);
  }

  async exists(dropId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys(dropId).state)) === 1;
  }

  async counters(dropId: string): Promise<LiveCounters> {
    const k = this.keys(dropId);
    const [state, participants] = await Promise.all([
      this.redis.hgetall(k.state),
      this.redis.pfcount(k.participants),
    ]);
    return {
      status: state.status ?? null,
      stock: Number(state.stock ?? 0),
      attempts: Number(state.attempts ?? 0),
      solves: Number(state.solves ?? 0),
      reservations: Number(state.reservations ?? 0),
      participants,
    };
  }

  /**
   * Attempts and solves per minute (Redis' clock, minutes since the epoch), as attempt.lua
   * counted them; kept as long as the drop's other keys (7 days after it ends).
   */
  async activity(dropId: string): Promise<Map<number, { attempts: number; solves: number }>> {
    const raw = await this.redis.hgetall(this.keys(dropId).activity);
    const minutes = new Map<number, { attempts: number; solves: number }>();
    for (const [field, value] of Object.entries(raw)) {
      const minute = Number(field.slice(2));
      const entry = minutes.get(minute) ?? { attempts: 0, solves: 0 };
      if (field.startsWith('a:')) entry.attempts += Number(value);
      else if (field.startsWith('s:')) entry.solves += Number(value);
      minutes.set(minute, entry);
    }
    return minutes;
  }

  /** After the drop ended and its counters were copied to MySQL, the keys can expire. */
  async expireLater(dropId: string, seconds: number): Promise<void> {
    const k = this.keys(dropId);
    await Promise.all(Object.values(k).map((key) => this.redis.expire(key, seconds)));
  }
}
