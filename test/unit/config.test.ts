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
      // OWASP's minimum for scrypt; only tests lower it.
      PASSWORD_HASH_COST: 16384,
    });
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '80.5' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PAYMENTS_PROVIDER: 'paypal' }, 'PAYMENTS_PROVIDER'],
    [{ PLATFORM_FEE_BPS: '10001' }, 'PLATFORM_FEE_BPS'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ ROLE: 'both' }, 'ROLE'],
    [{ PASSWORD_HASH_COST: '1000' }, 'PASSWORD_HASH_COST'],
    [{ PASSWORD_HASH_COST: '512' }, 'PASSWORD_HASH_COST'],
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

  test('an empty variable counts as unset', () => {
    expect(loadConfig({ PORT: '', PAYMENTS_PROVIDER: '' })).toMatchObject({
      PORT: 3000,
      PAYMENTS_PROVIDER: 'manual',
    });
  });

  test('stripe with both keys is accepted', () => {
    const config = loadConfig({
      PAYMENTS_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
    });
    expect(config).toMatchObject({ PAYMENTS_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1' });
  });

  test('numbers are parsed: PORT, fee and scale', () => {
    expect(
      loadConfig({ PORT: '8080', PLATFORM_FEE_BPS: '250', RATE_LIMIT_SCALE: '2.5' }),
    ).toMatchObject({ PORT: 8080, PLATFORM_FEE_BPS: 250, RATE_LIMIT_SCALE: 2.5 });
  });
});

describe('password hashes', () => {
  test('are made at the configured cost, OWASP’s minimum unless told otherwise, and verify', async () => {
    const { hashPassword, verifyPassword } = await import('../../src/accounts/passwords');
    const standard = await hashPassword('correct horse battery');
    expect(standard).toMatch(/^scrypt\$16384\$8\$1\$/);
    const cheap = await hashPassword('correct horse battery', 1024);
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', standard)).toBe(true);
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true);
    expect(await verifyPassword('correct horse staple', cheap)).toBe(false);
  });
});
