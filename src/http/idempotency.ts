import { createHash, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Redis } from '../redis/connection';
import { redisKey } from '../redis/connection';
import { AppError } from './app-error';

export interface IdempotencyOptions {
  redis: Redis;
  prefix: string;
  /** How long a key is remembered; API.md promises at least 24 h. */
  ttlSeconds?: number;
  /** How long a request waits for a concurrent twin to finish before giving up. */
  waitMs?: number;
  /**
   * How long a claim on a key outlives its request's last sign of life: renewed while the
   * request runs, so a process that dies mid-request frees the key this long after.
   */
  leaseMs?: number;
}

interface PendingRecord {
  state: 'pending';
  fingerprint: string;
  /** Whose claim it is, so only its owner renews or releases it. */
  claim?: string;
}

interface DoneRecord {
  state: 'done';
  fingerprint: string;
  status: number;
  body: unknown;
}

type StoredRecord = PendingRecord | DoneRecord;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What identifies a request under its key: method, URL and the body's exact bytes. */
export function fingerprintOf(method: string, url: string, rawBody: Buffer | undefined): string {
  return createHash('sha256')
    .update(`${method} ${url}\n`)
    .update(rawBody ?? Buffer.alloc(0))
    .digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request whose key was used before: its first answer, replayed. */
export interface Replay {
  kind: 'replay';
  status: number;
  /** `null` for an answer without a body. */
  body: unknown;
}

/** A request that holds its key's claim: it runs, then `finish` keeps (or frees) its answer. */
export interface Claim {
  kind: 'run';
  /** Stores the answer for replays (5xx and 429 free the key instead). Once; later calls do nothing. */
  finish(status: number, body: unknown): void;
  /** The client went away: the claim is no longer renewed, so it lapses with its lease. */
  stopRenewing(): void;
}

/**
 * `Idempotency-Key` on POST: the first request with a key claims it in Redis (SET NX) and
 * its answer is stored; later requests with the same key and body get that answer replayed,
 * with another body 409 `idempotency`. Concurrent twins wait for the first to finish, so
 * eight simultaneous requests have exactly one effect. 5xx and 429 answers are not kept:
 * the client may retry them with the same key.
 *
 * A pending claim is a lease (`leaseMs`, renewed while the request runs), not the key's 24 h:
 * when the process running it dies, the claim lapses and a retry runs the request again
 * rather than waiting for a twin that will never answer. A stranded claim of another shape
 * (one that outlives any lease) is taken over the same way.
 *
 * Both doors use it: Express through `idempotency()`, the hot path in `hot-routes.ts`.
 */
export class IdempotencyKeys {
  private readonly ttlMs: number;
  private readonly waitMs: number;
  private readonly leaseMs: number;
  private readonly redis: Redis & ClaimScripts;

  constructor(private readonly options: IdempotencyOptions) {
    this.ttlMs = (options.ttlSeconds ?? 24 * 3600) * 1000;
    this.waitMs = options.waitMs ?? 10_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.redis = withClaimScripts(options.redis);
  }

  /** `key` as sent, `scope` whose keys these are (the member, or an anonymous caller's IP). */
  async start(key: string, scope: string, fingerprint: string): Promise<Replay | Claim> {
    if (!KEY_PATTERN.test(key)) {
      throw AppError.invalid(
        'idempotency_key_invalid',
        'Idempotency-Key must be 1 to 255 visible ASCII characters.',
        'Idempotency-Key',
      );
    }
    const { redis, leaseMs } = this;
    const storeKey = redisKey(
      this.options.prefix,
      'idem',
      scope,
      createHash('sha256').update(key).digest('hex'),
    );
    const pending: PendingRecord = { state: 'pending', fingerprint, claim: randomUUID() };
    const claimed = JSON.stringify(pending);
    if ((await redis.set(storeKey, claimed, 'PX', leaseMs, 'NX')) === 'OK')
      return this.claim(storeKey, claimed, fingerprint);
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const raw = await redis.get(storeKey);
      if (raw === null) {
        // The first attempt failed, or its process died and its lease lapsed: run anew.
        if ((await redis.set(storeKey, claimed, 'PX', leaseMs, 'NX')) === 'OK')
          return this.claim(storeKey, claimed, fingerprint);
        continue;
      }
      const record = JSON.parse(raw) as StoredRecord;
      if (record.fingerprint !== fingerprint) {
        throw new AppError(
          409,
          'idempotency',
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different request body.',
          'Idempotency-Key',
        );
      }
      if (record.state === 'done')
        return { kind: 'replay', status: record.status, body: record.body };
      if ((await redis.pttl(storeKey)) > leaseMs) {
        // No live request holds a claim this long (a claim of another shape, stranded by a
        // crash): the owner is gone, so the claim is released and this request may take it.
        await redis.releaseIdempotencyClaim(storeKey, raw);
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError(
          409,
          'idempotency',
          'idempotency_key_in_use',
          'A request with this Idempotency-Key is still being processed; retry later.',
          'Idempotency-Key',
        );
      }
      await sleep(25);
    }
  }

  /** Keeps the claim's lease alive while the request runs; stores its answer when it has one. */
  private claim(storeKey: string, claimed: string, fingerprint: string): Claim {
    const { redis, leaseMs, ttlMs } = this;
    const renew = setInterval(
      () => {
        redis.renewIdempotencyClaim(storeKey, claimed, leaseMs).catch(() => {
          // Redis is unreachable: the lease lapses and a retry runs the request again.
        });
      },
      Math.max(10, Math.floor(leaseMs / 3)),
    );
    renew.unref();
    let settled = false;
    return {
      kind: 'run',
      finish(status, body) {
        if (settled) return;
        settled = true;
        clearInterval(renew);
        const done: DoneRecord = { state: 'done', fingerprint, status, body };
        const write =
          status < 500 && status !== 429
            ? redis.set(storeKey, JSON.stringify(done), 'PX', ttlMs)
            : redis.releaseIdempotencyClaim(storeKey, claimed);
        write.catch(() => {
          // Redis went away after the answer was made; the claim lapses with its lease.
        });
      },
      stopRenewing: () => clearInterval(renew),
    };
  }
}

/** Express's door: claims the key before the route runs and keeps the answer it sends. */
export function idempotency(keys: IdempotencyKeys) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    try {
      const scope = req.auth?.userId ?? `anon:${req.ip}`;
      const started = await keys.start(
        key,
        scope,
        fingerprintOf(req.method, req.originalUrl, req.rawBody),
      );
      if (started.kind === 'replay') {
        res.setHeader('Idempotent-Replayed', 'true');
        if (started.body === null) res.status(started.status).end();
        else res.status(started.status).json(started.body);
        return;
      }
      captureAnswer(res, started);
      next();
    } catch (error) {
      next(error);
    }
  };
}

interface ClaimScripts {
  renewIdempotencyClaim(key: string, claim: string, leaseMs: number): Promise<number>;
  releaseIdempotencyClaim(key: string, claim: string): Promise<number>;
}

/** Compare-and-act on a claim, so a request never renews or drops a claim that is not its own. */
function withClaimScripts(redis: Redis): Redis & ClaimScripts {
  if (!('renewIdempotencyClaim' in redis)) {
    // KEYS[1] the idempotency key; ARGV[1] the claim as stored; ARGV[2] the lease in ms.
    redis.defineCommand('renewIdempotencyClaim', {
      numberOfKeys: 1,
      lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0",
    });
    // KEYS[1] the idempotency key; ARGV[1] the claim as stored.
    redis.defineCommand('releaseIdempotencyClaim', {
      numberOfKeys: 1,
      lua: "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
    });
  }
  return redis as Redis & ClaimScripts;
}

/**
 * The answer is kept as soon as the handler produces it (whether or not the client is still
 * there). If the client goes away first, the handler may still answer (and its answer is
 * kept), but a handler that never answers frees the key with its lease.
 */
function captureAnswer(res: Response, claim: Claim): void {
  const json = res.json.bind(res);
  res.json = (value: unknown) => {
    claim.finish(res.statusCode, value);
    return json(value);
  };
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    claim.finish(res.statusCode, null);
    return end(...args);
  }) as Response['end'];
  res.once('close', () => claim.stopRenewing());
}
