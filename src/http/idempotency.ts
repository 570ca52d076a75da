import { createHash } from 'node:crypto';
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
}

interface PendingRecord {
  state: 'pending';
  fingerprint: string;
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
 */
export function idempotency(options: IdempotencyOptions) {
  const ttlMs = (options.ttlSeconds ?? 24 * 3600) * 1000;
  const waitMs = options.waitMs ?? 10_000;

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
      const pending: PendingRecord = { state: 'pending', fingerprint };
      const claimed = await options.redis.set(storeKey, JSON.stringify(pending), 'PX', ttlMs, 'NX');
      if (claimed === 'OK') {
        captureAnswer(res, options.redis, storeKey, fingerprint, ttlMs);
        return next();
      }
      const deadline = Date.now() + waitMs;
      for (;;) {
        const raw = await options.redis.get(storeKey);
        if (raw === null) {
          // The first attempt failed and released the key: this request runs anew.
          const retried = await options.redis.set(
            storeKey,
            JSON.stringify(pending),
            'PX',
            ttlMs,
            'NX',
          );
          if (retried === 'OK') {
            captureAnswer(res, options.redis, storeKey, fingerprint, ttlMs);
            return next();
          }
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

/** Stores the answer as soon as the handler produces it, even if the client has gone away. */
function captureAnswer(
  res: Response,
  redis: Redis,
  storeKey: string,
  fingerprint: string,
  ttlMs: number,
): void {
  let settled = false;
  const settle = (body: unknown) => {
    if (settled) return;
    settled = true;
    const keep = res.statusCode < 500 && res.statusCode !== 429;
    const done: DoneRecord = { state: 'done', fingerprint, status: res.statusCode, body };
    const write = keep
      ? redis.set(storeKey, JSON.stringify(done), 'PX', ttlMs)
      : redis.del(storeKey);
    write.catch(() => {
      // Redis went away after the answer was made; the key expires on its own.
    });
  };
  const json = res.json.bind(res);
  res.json = (value: unknown) => {
    settle(value);
    return json(value);
  };
  res.once('finish', () => settle(null));
}
