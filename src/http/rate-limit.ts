import type { NextFunction, Request, Response } from 'express';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from '../redis/connection';
import { redisKey } from '../redis/connection';
import { AppError } from './app-error';

export interface LimitRule {
  name: string;
  /** Requests allowed per window at RATE_LIMIT_SCALE=1. */
  points: number;
  windowSeconds: number;
}

/** The limits of API.md; each is multiplied by RATE_LIMIT_SCALE. */
export const LIMITS = {
  loginPerIp: { name: 'login-ip', points: 60, windowSeconds: 60 },
  /** Wrong passwords for one e-mail from one address (src/accounts/login-throttle.ts). */
  loginFailuresPerAddress: { name: 'login-pair', points: 10, windowSeconds: 15 * 60 },
  /** Wrong passwords for one e-mail from anywhere: past it, only known addresses may try. */
  loginFailuresPerEmail: { name: 'login-email', points: 50, windowSeconds: 3600 },
  /** An address that signed in to an account is known to it for this long. */
  loginKnownAddress: { name: 'login-known', points: 1, windowSeconds: 30 * 86_400 },
  signupPerIp: { name: 'signup-ip', points: 20, windowSeconds: 3600 },
  couponPreviewPerUser: { name: 'coupon-preview', points: 30, windowSeconds: 60 },
  conversionsPerUser: { name: 'conversions', points: 30, windowSeconds: 60 },
  /** Counted inside the drop's attempt script (campaigns/drops/attempt.lua), not here. */
  dropAttemptsPerMember: { name: 'drop-attempts', points: 20, windowSeconds: 10 },
} satisfies Record<string, LimitRule>;

/** A rule's allowance at this scale; null when limits are off (scale 0). */
export function scaledLimit(
  rule: LimitRule,
  scale: number,
): { points: number; windowMs: number } | null {
  if (scale <= 0) return null;
  return {
    points: Math.max(1, Math.round(rule.points * scale)),
    windowMs: rule.windowSeconds * 1000,
  };
}

/**
 * Redis-backed counters (rate-limiter-flexible), so a limit holds across every API process.
 * `scale` 0 turns limiting off, for load tests from one address.
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterRedis>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly scale: number,
  ) {}

  get isEnabled(): boolean {
    return this.scale > 0;
  }

  private limiter(rule: LimitRule): RateLimiterRedis {
    let limiter = this.limiters.get(rule.name);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: redisKey(this.prefix, 'rl', rule.name),
        points: Math.max(1, Math.round(rule.points * this.scale)),
        duration: rule.windowSeconds,
      });
      this.limiters.set(rule.name, limiter);
    }
    return limiter;
  }

  /** Counts one request (or `points` units of work) against `key`; over the limit: 429 with Retry-After. */
  async consume(rule: LimitRule, key: string, points = 1): Promise<void> {
    if (!this.isEnabled) return;
    try {
      await this.limiter(rule).consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        // A refused request of many units gives them back: the counter keeps what was allowed,
        // so a smaller request still fits what is left of the window.
        if (points > 1) await this.limiter(rule).reward(key, points);
        throw AppError.rateLimited(rejection.msBeforeNext / 1000);
      }
      throw rejection;
    }
  }

  /** Gives back one request counted by `consume`: for attempts that only count when they fail. */
  async refund(rule: LimitRule, key: string): Promise<void> {
    if (!this.isEnabled) return;
    await this.limiter(rule).reward(key, 1);
  }

  /** Remembers `key` for the rule's window (an address that signed in, say). */
  async mark(rule: LimitRule, key: string): Promise<void> {
    if (!this.isEnabled) return;
    await this.limiter(rule).set(key, 1, rule.windowSeconds);
  }

  async isMarked(rule: LimitRule, key: string): Promise<boolean> {
    if (!this.isEnabled) return false;
    return (await this.limiter(rule).get(key)) !== null;
  }

  async reset(rule: LimitRule, key: string): Promise<void> {
    if (!this.isEnabled) return;
    await this.limiter(rule).delete(key);
  }
}

/** Middleware: one request counted per client address against `rule`. */
export function limitByIp(limits: RateLimits, rule: LimitRule) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      await limits.consume(rule, req.ip ?? 'unknown');
      next();
    } catch (error) {
      next(error);
    }
  };
}
