import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.describe('storefront in 简体中文', () => {
  test.use({ locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' } });

  test('the newest listings, in Chinese, with prices in each listing’s currency', async ({
    page,
  }, testInfo) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['vary']).toContain('Accept-Language');
    expect(response?.headers()['vary']).toContain('Cookie');
    expect(response?.headers()['content-language']).toBe('zh-Hans');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('最新商品');
    await expect(page).toHaveTitle(/最新商品/);
    const cards = page.getByRole('list', { name: '商品' }).getByRole('listitem');
    await expect(cards.first()).toBeVisible();
    await hydrated(page);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'storefront-zh');
  });

  test('a buyer searches 抹茶 and opens the listing, rendered on the server with Open Graph tags', async ({
    page,
    request,
  }, testInfo) => {
    await page.goto('/');
    await hydrated(page);
    await page.getByRole('searchbox', { name: '搜索商品' }).fill('抹茶');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page).toHaveURL(/q=%E6%8A%B9%E8%8C%B6/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('“抹茶”的搜索结果');
    // The demo's matcha bowl (other tests add their own 抹茶 listings).
    const result = page.getByRole('link', { name: '京都の抹茶茶碗 — hand-thrown matcha bowl' });
    await expect(result).toBeVisible();
    await expectAccessible(page);
    await result.click();
    await expect(page).toHaveURL(/\/listings\/lst_/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('抹茶');
    await expect(page.getByText('卖家')).toBeVisible();
    // 4800 in JPY's minor unit (it has none) is 4,800 yen, never 48.00.
    await expect(page.locator('.price')).toHaveText('JP¥4,800');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'listing-zh');

    // What a link preview (no JavaScript) reads: the server's own HTML.
    const html = await (await request.get(page.url())).text();
    expect(html).toMatch(/<title>[^<]*抹茶[^<]*<\/title>/);
    expect(html).toMatch(/<meta name="description" content="[^"]*抹茶/);
    expect(html).toMatch(/<meta property="og:title" content="[^"]*抹茶/);
    expect(html).toMatch(/<meta property="og:description" content="[^"]+"/);
    expect(html).toContain(`<meta property="og:url" content="${page.url()}"/>`);
  });

  test('a search without results says so, and offers to clear it', async ({ page }, testInfo) => {
    await page.goto('/?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%95%86%E5%93%81xyz');
    await expect(page.getByRole('status')).toContainText('暂时没有符合条件的商品');
    await expect(page.getByRole('link', { name: '清除搜索和筛选' }).first()).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'storefront-empty-zh');
  });

  test('a price range without a currency is explained, not sent', async ({ page }) => {
    await page.goto('/?min=10&max=20');
    await expect(page.getByRole('alert')).toContainText('请先选择货币');
  });
});

test('the storefront’s first load ships at most 150 KB of compressed JavaScript', async ({
  page,
}) => {
  // Every request the page made, kept to explain a failure.
  const requests: string[] = [];
  page.on('requestfinished', (request) =>
    requests.push(`${request.resourceType()} ${request.url()}`),
  );
  page.on('requestfailed', (request) =>
    requests.push(
      `${request.resourceType()} ${request.url()} failed: ${request.failure()?.errorText}`,
    ),
  );
  await page.goto('/');
  await hydrated(page);
  // The chunks are preloaded after the first paint: counted once every preload has arrived,
  // from the browser's own resource timing (compressed body bytes, whatever the event order).
  const scripts = await page.waitForFunction(() => {
    const preloads = [...document.querySelectorAll<HTMLLinkElement>('link[rel="modulepreload"]')];
    const entries = performance
      .getEntriesByType('resource')
      .filter((entry): entry is PerformanceResourceTiming =>
        new URL(entry.name).pathname.endsWith('.js'),
      );
    const loaded = new Set(entries.filter((entry) => entry.responseEnd > 0).map((e) => e.name));
    if (preloads.length === 0 || !preloads.every((link) => loaded.has(link.href))) return null;
    return entries.map((entry) => ({ url: entry.name, bytes: entry.encodedBodySize }));
  });
  const files = (await scripts.jsonValue()) ?? [];
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  expect(files.length, requests.join('\n')).toBeGreaterThan(0);
  expect(bytes).toBeLessThanOrEqual(150 * 1024);
  test.info().annotations.push({
    type: 'storefront JS',
    description: `${bytes} bytes in ${files.length} files`,
  });
});

test.describe('filters and language', () => {
  test.use({ locale: 'en-US' });

  test('currency and price range filter in minor units of that currency', async ({ page }) => {
    // ¥1,000..¥5,000 is 1000..5000 in minor units; the demo's matcha bowl is priced in yen.
    await page.goto('/?currency=JPY&min=1000&max=100000');
    const prices = page.locator('.card-price');
    await expect(prices.first()).toBeVisible();
    for (const text of await prices.allTextContents()) expect(text).toMatch(/¥/);
  });

  test('the language switcher changes the page and remembers the choice', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    await hydrated(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByLabel('Language').selectOption('ja');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('新着出品');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('新着出品');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'storefront-ja');
    await page.getByLabel('言語').selectOption('pt-BR');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anúncios mais recentes');
    await screenshots(page, testInfo, 'storefront-pt');
  });
});
