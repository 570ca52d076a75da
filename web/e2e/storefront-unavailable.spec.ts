import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { expect, test } from '@playwright/test';
import { signInThroughPage } from './support/account-api';
import { expectAccessible, hydrated, screenshots } from './support/pages';
import { SecondService } from './support/second-service';

/**
 * The storefront when its listings cannot be had: a second service (its own port, database and
 * Redis prefix) reaches MySQL through a TCP relay this test owns, and the test cuts the relay,
 * as a database failing over or a network partition would. The page's loader then gets the
 * API's own answer to a lost database, over the same loopback HTTP as always.
 */
const service = new SecondService('down', 200);
const URL_BASE = service.url;

/** A TCP relay to MySQL that can be cut (every connection dropped, new ones refused) and mended. */
class DatabaseRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(3306, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((done) => server.listen(this.port, '127.0.0.1', done));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

const relay = new DatabaseRelay();

const call = service.call.bind(service);

test.describe.configure({ mode: 'serial' });
// A service of its own to start, on a shared 2-core machine: slow, never timed.
test.setTimeout(180_000);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await relay.open();
  await service.start({
    ROLE: 'api',
    DATABASE_URL: `mysql://root@127.0.0.1:${relay.port}/${service.database}`,
    DEMO_SEED: 'false',
    // Production without the demo asks for a real key: a made-up one for a test's made-up people.
    VAULT_EMAIL_HMAC_KEY: 'web-test-storefront-unavailable-hmac-key',
  });
});

test.afterAll(async () => {
  await service.stop();
  await relay.cut();
});

test('listings that cannot be loaded are said so with 503, and the storefront comes back', async ({
  page,
  browser,
}, testInfo) => {
  const { token } = await call<{ token: string }>('POST', '/v1/auth/signup', undefined, {
    email: `down-${randomUUID()}@example.test`,
    password: 'correct horse battery',
    displayName: 'Down test seller',
    country: 'JP',
    accountType: 'member',
  });
  const title = `Hagi yaki cup ${randomUUID().slice(0, 6)}`;
  await call('POST', '/v1/listings', token, {
    title,
    description: 'Made for the unavailable storefront test.',
    priceAmount: 2200,
    currency: 'JPY',
    quantity: 1,
    category: 'test',
    condition: 'used',
  });
  const before = await page.goto(`${URL_BASE}/`);
  expect(before?.status()).toBe(200);
  await expect(page.getByRole('link', { name: title })).toBeVisible();

  await relay.cut();
  const failed = await page.goto(`${URL_BASE}/?category=test`);
  expect(failed?.status()).toBe(503);
  await expect(page.getByRole('alert')).toHaveText(
    'Listings could not be loaded just now. Please try again in a moment.',
  );
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Newest listings');
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  // Still a working page: hydrated, the search form kept as it was asked for.
  await hydrated(page);
  await expect(page.getByLabel('Category')).toHaveValue('test');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'storefront-unavailable-en');

  const japanese = await browser.newContext({ locale: 'ja-JP' });
  const jaPage = await japanese.newPage();
  const jaFailed = await jaPage.goto(`${URL_BASE}/`);
  expect(jaFailed?.status()).toBe(503);
  await expect(jaPage.getByRole('alert')).toHaveText(
    '出品を読み込めませんでした。しばらくしてからもう一度お試しください。',
  );
  await hydrated(jaPage);
  await expectAccessible(jaPage);
  await screenshots(jaPage, testInfo, 'storefront-unavailable-ja');
  await japanese.close();

  // The database back: the same service (it never went down) shows the listings again.
  await relay.open();
  await expect
    .poll(async () => (await page.goto(`${URL_BASE}/`))?.status(), { timeout: 60_000 })
    .toBe(200);
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  expect(service.exitCode).toBeNull();
});

test('a “more” page that cannot be loaded is said so, and “more” can be tried again', async ({
  page,
}, testInfo) => {
  const { token } = await call<{ token: string }>('POST', '/v1/auth/signup', undefined, {
    email: `more-${randomUUID()}@example.test`,
    password: 'correct horse battery',
    displayName: 'More test seller',
    country: 'BR',
    accountType: 'member',
  });
  const category = `more-${randomUUID().slice(0, 8)}`;
  // One more than a page holds.
  const titles: string[] = [];
  for (let n = 1; n <= 25; n += 1) {
    const title = `Renda de bilro ${category} ${String(n).padStart(2, '0')}`;
    await call('POST', '/v1/listings', token, {
      title,
      description: 'Made for the unavailable storefront test.',
      priceAmount: 9000,
      currency: 'BRL',
      quantity: 1,
      category,
      condition: 'handmade',
    });
    titles.unshift(title);
  }
  await page.goto(`${URL_BASE}/?category=${category}`);
  await hydrated(page);
  const cards = page.getByRole('list', { name: 'Listings' }).locator('.card-title');
  await expect(cards).toHaveText(titles.slice(0, 24));
  const more = page.getByRole('link', { name: 'More listings' });

  await relay.cut();
  await more.click();
  await expect(page.getByRole('alert')).toHaveText(
    'Listings could not be loaded just now. Please try again in a moment.',
  );
  // Nothing lost, nothing pretended: the first page stays, and "more" is still offered.
  await expect(cards).toHaveText(titles.slice(0, 24));
  await expect(more).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'storefront-more-unavailable-en');

  await relay.open();
  await expect(async () => {
    await more.click();
    await expect(cards).toHaveText(titles, { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(more).toHaveCount(0);
});

test("drops, notes, the glossary, challenges and a member's pages say so with 503 too", async ({
  browser,
}, testInfo) => {
  const member = {
    email: `down-${randomUUID()}@example.test`,
    password: 'correct horse battery',
    displayName: `Down member ${randomUUID().slice(0, 6)}`,
  };
  await call('POST', '/v1/auth/signup', undefined, {
    ...member,
    country: 'BR',
    accountType: 'member',
  });
  const context = await browser.newContext({ baseURL: URL_BASE });
  const page = await context.newPage();
  await signInThroughPage(page, member);
  expect((await page.goto('/account/coupons'))?.status()).toBe(200);

  await relay.cut();
  const pages = [
    ['/drops', 'Riddle drops', 'Drops could not be loaded just now. Please try again in a moment.'],
    [
      '/account/coupons',
      'My coupons',
      'The service could not answer. Please try again in a moment.',
    ],
    ['/account/points', 'My points', 'The service could not answer. Please try again in a moment.'],
    ['/orders', 'My orders', 'The service could not answer. Please try again in a moment.'],
    ['/notes', 'Notes', 'Notes could not be loaded just now. Please try again in a moment.'],
    [
      '/feed',
      'Community feed',
      'Notes could not be loaded just now. Please try again in a moment.',
    ],
    [
      '/glossary',
      'Hot-word glossary',
      'The glossary could not be loaded just now. Please try again in a moment.',
    ],
    [
      '/challenges',
      'Writing challenges',
      'Challenges could not be loaded just now. Please try again in a moment.',
    ],
  ] as const;
  for (const [path, heading, notice] of pages) {
    expect((await page.goto(path))?.status(), path).toBe(503);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.getByRole('alert').first()).toHaveText(notice);
  }
  await hydrated(page);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'points-unavailable-en');

  await relay.open();
  await expect
    .poll(async () => (await page.goto('/account/points'))?.status(), { timeout: 60_000 })
    .toBe(200);
  expect((await page.goto('/drops'))?.status()).toBe(200);
  await context.close();
});
