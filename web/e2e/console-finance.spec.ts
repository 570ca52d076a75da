import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { api, placeOrder, signInThroughPage } from './support/account-api';
import { createListing, signIn } from './support/api';
import { DEMO_STAFF, signUpAccount } from './support/console';
import { expectAccessible, hydrated, screenshots } from './support/pages';
import { WEB_TEST } from './support/service';

test.use({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
// Sign-in, pages and jobs on a shared 2-core machine: slow, never timed.
test.setTimeout(180_000);

/** Today's date and this month's first and last day, in Tokyo. */
function tokyoMonth(): { first: string; last: string; today: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
  const [year, month] = today.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return { first: `${year}-${mm}-01`, last: `${year}-${mm}-${lastDay}`, today };
}

async function ordersCsv(token: string, query: Record<string, string>): Promise<Buffer> {
  const response = await fetch(
    `${WEB_TEST.url}/v1/finance/orders.csv?${new URLSearchParams(query).toString()}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

test.beforeAll(async () => {
  // Orders of this month: two paid, one left awaiting payment.
  const seller = await signUpAccount('member');
  const buyer = await signUpAccount('member', 'BR');
  for (let n = 0; n < 3; n += 1) {
    const listing = await createListing(seller, { priceAmount: 1200 + n, currency: 'JPY' });
    const orderId = await placeOrder(buyer.token, listing.id);
    if (n < 2) await api('POST', `/v1/orders/${orderId}/pay`, buyer.token, {});
  }
});

test('finance exports a month in Asia/Tokyo: the download is GET /v1/finance/orders.csv byte for byte', async ({
  page,
}, testInfo) => {
  const token = await signIn(DEMO_STAFF.finance.email, DEMO_STAFF.finance.password);
  await signInThroughPage(page, DEMO_STAFF.finance);
  await page.goto('/console/finance');
  await expect(page.getByRole('heading', { level: 1, name: 'Finance exports' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'finance-en');

  const month = tokyoMonth();
  await hydrated(page);
  await page.getByLabel('First day').fill(month.first);
  await page.getByLabel('Last day').fill(month.last);
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(file.suggestedFilename()).toBe(`orders-${month.first}-${month.last}.csv`);
  const downloaded = await readFile(await file.path());
  const direct = await ordersCsv(token, {
    from: month.first,
    to: month.last,
    timezone: 'Asia/Tokyo',
  });
  expect(downloaded.equals(direct)).toBe(true);
  expect(downloaded.toString('utf8').split('\n').length).toBeGreaterThan(3);
});

test('a range longer than a month runs as an export job and appears in the list with its file', async ({
  browser,
}, testInfo) => {
  const token = await signIn(DEMO_STAFF.finance.email, DEMO_STAFF.finance.password);
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Tokyo' });
  const page = await context.newPage();
  await signInThroughPage(page, DEMO_STAFF.finance, {
    email: '电子邮箱',
    password: '密码',
    submit: '登录',
  });
  await page.goto('/console/finance');
  await hydrated(page);
  const { today } = tokyoMonth();
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - 90 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  await page.getByLabel('第一天').fill(from);
  await page.getByLabel('最后一天').fill(today);
  await page.getByLabel('时区').selectOption('Asia/Tokyo');
  await page.getByLabel('已付款').check();
  await page.getByRole('button', { name: '导出 CSV' }).click();
  await expect(page).toHaveURL(/\/console\/finance\?export=exp_/);
  const exportId = new URL(page.url()).searchParams.get('export') ?? '';

  const row = page.getByRole('article', { name: `${from} 至 ${today}（Asia/Tokyo）` }).first();
  await expect(row).toBeVisible();
  const link = row.getByRole('link', { name: '下载 CSV' });
  await expect(link).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page);
  await screenshots(page, testInfo, 'finance-exports-zh');

  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const downloaded = await readFile(await file.path());
  const direct = await ordersCsv(token, {
    from,
    to: today,
    timezone: 'Asia/Tokyo',
    status: 'paid',
  });
  expect(downloaded.equals(direct)).toBe(true);
  const view = await api<{ status: string }>('GET', `/v1/finance/exports/${exportId}`, token);
  expect(view.status).toBe('done');
  await context.close();
});
