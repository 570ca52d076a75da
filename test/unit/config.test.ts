import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  test("defaults are API.md's", () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 3000,
      ROLE: 'all',
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/cyberstall',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'cyberstall',
      PAYMENTS_PROVIDER: 'manual',
      PLATFORM_FEE_BPS: 0,
      ORDER_HOLD_MINUTES: 15,
      MODERATION_COUNTRIES: [],
      MODERATION_TAGS: [],
      RATE_LIMIT_SCALE: 1,
      LOG_LEVEL: 'info',
    });
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ ROLE: 'both' }, 'ROLE'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ ORDER_HOLD_MINUTES: '-1' }, 'ORDER_HOLD_MINUTES'],
    [{ PAYMENTS_PROVIDER: 'stripe' }, 'STRIPE_SECRET_KEY'],
    [{ PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ RATE_LIMIT_SCALE: 'lots' }, 'RATE_LIMIT_SCALE'],
  ])('%p fails naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).variable).toBe(variable);
      expect((error as Error).message).toMatch(new RegExp(`^invalid configuration: ${variable}: `));
    }
  });

  test('lists are split, trimmed and country codes upper-cased; decimals allowed for the hold', () => {
    const config = loadConfig({
      MODERATION_COUNTRIES: ' cn, ru ,',
      MODERATION_TAGS: 'politics,religion',
      ORDER_HOLD_MINUTES: '0.5',
      RATE_LIMIT_SCALE: '0',
    });
    expect(config.MODERATION_COUNTRIES).toEqual(['CN', 'RU']);
    expect(config.MODERATION_TAGS).toEqual(['politics', 'religion']);
    expect(config.ORDER_HOLD_MINUTES).toBe(0.5);
    expect(config.RATE_LIMIT_SCALE).toBe(0);
  });
});
