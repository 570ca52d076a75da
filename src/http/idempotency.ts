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

function fingerprintOf(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n`)
    .update(req.rawBody ?? Buffer.alloc(0))
    .digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
 */
export function idempotency(options: IdempotencyOptions) {
  const ttlMs = (options.ttlSeconds ?? 24 * 3600) * 1000;
  const waitMs = options.waitMs ?? 10_000;
  const leaseMs = options.leaseMs ?? 30_000;
  const redis = withClaimScripts(options.redis);

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      return next(
        AppError.invalid(
          'idempotency_key_invalid',
          'Idempotency-Key must be 1 to 255 visible ASCII characters.',
          'Idempotency-Key',
        ),
      );
    }
    const scope = req.auth?.userId ?? `anon:${req.ip}`;
    const storeKey = redisKey(
      options.prefix,
      'idem',
      scope,
      createHash('sha256').update(key).digest('hex'),
    );
    const fingerprint = fingerprintOf(req);

    try {
      const pending: PendingRecord = { state: 'pending', fingerprint, claim: randomUUID() };
      const claimed = JSON.stringify(pending);
      const run = () => {
        captureAnswer(res, redis, storeKey, claimed, fingerprint, { ttlMs, leaseMs });
        next();
      };
      if ((await redis.set(storeKey, claimed, 'PX', leaseMs, 'NX')) === 'OK') return run();
      const deadline = Date.now() + waitMs;
      for (;;) {
        const raw = await redis.get(storeKey);
        if (raw === null) {
          // The first attempt failed, or its process died and its lease lapsed: run anew.
          if ((await redis.set(storeKey, claimed, 'PX', leaseMs, 'NX')) === 'OK') return run();
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
        if (record.state === 'done') {
          res.setHeader('Idempotent-Replayed', 'true');
          if (record.body === null) res.status(record.status).end();
          else res.status(record.status).json(record.body);
          return;
        }
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
 * Keeps the claim's lease alive while the handler runs, and stores the answer as soon as the
 * handler produces it (whether or not the client is still there).
 */
function captureAnswer(
  res: Response,
  redis: Redis & ClaimScripts,
  storeKey: string,
  claimed: string,
  fingerprint: string,
  times: { ttlMs: number; leaseMs: number },
): void {
  const renew = setInterval(
    () => {
      redis.renewIdempotencyClaim(storeKey, claimed, times.leaseMs).catch(() => {
        // Redis is unreachable: the lease lapses and a retry runs the request again.
      });
    },
    Math.max(10, Math.floor(times.leaseMs / 3)),
  );
  renew.unref();
  let settled = false;
  const settle = (body: unknown) => {
    if (settled) return;
    settled = true;
    clearInterval(renew);
    const keep = res.statusCode < 500 && res.statusCode !== 429;
    const done: DoneRecord = { state: 'done', fingerprint, status: res.statusCode, body };
    const write = keep
      ? redis.set(storeKey, JSON.stringify(done), 'PX', times.ttlMs)
      : redis.releaseIdempotencyClaim(storeKey, claimed);
    write.catch(() => {
      // Redis went away after the answer was made; the claim lapses with its lease.
    });
  };
  const json = res.json.bind(res);
  res.json = (value: unknown) => {
    settle(value);
    return json(value);
  };
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    settle(null);
    return end(...args);
  }) as Response['end'];
  // The client went away first: the handler may still answer (and its answer is kept), but the
  // claim is no longer renewed, so a handler that never answers frees the key with its lease.
  res.once('close', () => clearInterval(renew));
}
