import type { AuthContext } from '../src/http/auth-context';
import type { LimitRule, RateLimits } from '../src/http/rate-limit';

/** A brand's allowances, from src/config.ts; each is multiplied by RATE_LIMIT_SCALE. */
export interface QuotaSettings {
  couponCodesPerDay: number;
  couponBatchesPerHour: number;
  dropsPerDay: number;
  offersPerDay: number;
  airdropsPerHour: number;
}

const DAY = 86_400;
const HOUR = 3600;

/**
 * Per-brand quotas on what makes rows in bulk or work for the workers: coupon codes and
 * batches, drops, offers and airdrops. Anyone may declare a brand, so without them one
 * account could fill the coupon table (100,000 codes a request, any number of requests).
 * Counted per brand in Redis across every API process; over a quota: 429 `rate_limited` with
 * Retry-After. A request refused for another reason has already counted: retrying a refused
 * request is what the quota bounds.
 */
export class BrandQuotas {
  private readonly rules: Record<keyof QuotaSettings, LimitRule>;

  constructor(
    private readonly limits: RateLimits,
    settings: QuotaSettings,
  ) {
    this.rules = {
      couponCodesPerDay: {
        name: 'quota-coupon-codes',
        points: settings.couponCodesPerDay,
        windowSeconds: DAY,
      },
      couponBatchesPerHour: {
        name: 'quota-coupon-batches',
        points: settings.couponBatchesPerHour,
        windowSeconds: HOUR,
      },
      dropsPerDay: { name: 'quota-drops', points: settings.dropsPerDay, windowSeconds: DAY },
      offersPerDay: { name: 'quota-offers', points: settings.offersPerDay, windowSeconds: DAY },
      airdropsPerHour: {
        name: 'quota-airdrops',
        points: settings.airdropsPerHour,
        windowSeconds: HOUR,
      },
    };
  }

  /** One batch of `codes` codes; the codes are counted only when the batch is allowed. */
  async couponBatch(brandId: string, codes: number): Promise<void> {
    await this.limits.consume(this.rules.couponBatchesPerHour, brandId);
    try {
      await this.limits.consume(this.rules.couponCodesPerDay, brandId, codes);
    } catch (error) {
      await this.limits.refund(this.rules.couponBatchesPerHour, brandId);
      throw error;
    }
  }

  /** A drop, offer or airdrop; an account that is not a brand is refused by the service. */
  async count(
    auth: AuthContext | undefined,
    what: 'dropsPerDay' | 'offersPerDay' | 'airdropsPerHour',
  ) {
    if (auth?.brandId) await this.limits.consume(this.rules[what], auth.brandId);
  }
}
