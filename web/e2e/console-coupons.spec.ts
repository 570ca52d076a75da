import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { signUpAccount } from './support/console';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.use({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
// Sign-in, pages and jobs on a shared 2-core machine: slow, never timed.
test.setTimeout(300_000);

const CODE = /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/;

test('a brand makes a 5,000-code batch, watches it generate and downloads 5,000 unique codes', async ({
  page,
}, testInfo) => {
  const brand = await signUpAccount('brand');
  await signInThroughPage(page, brand);
  await page.goto('/console/coupons');
  await expect(page.getByRole('heading', { level: 1, name: 'Coupon batches' })).toBeVisible();
  await expect(page.getByText('No batches yet.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'coupons-empty-en');

  await hydrated(page);
  await page.getByLabel('Number of codes (1–100,000)').fill('5000');
  await page.getByLabel('Valid for (days)').fill('60');
  await page.getByLabel('Percent off (1–100)').fill('15');
  await page.getByRole('button', { name: 'Generate codes' }).click();
  await expect(page).toHaveURL(/\/console\/coupons\?created=cpb_/);

  const batch = page.getByRole('article', { name: '5,000 codes · 15% off' });
  await expect(batch).toBeVisible();
  // The job writes the codes in chunks: the bar (or, on a fast machine, the finished batch).
  const bar = batch.getByRole('progressbar', { name: 'Generating codes' });
  const download = batch.getByRole('link', { name: 'Download codes.csv' });
  await expect(bar.or(download)).toBeVisible();
  if (await bar.isVisible()) {
    await expectAccessible(page);
    await screenshots(page, testInfo, 'coupons-generating-en');
  }
  await expect(download).toBeVisible({ timeout: 60_000 });
  await expect(batch.getByText('Redeemed: 0 of 5,000')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'coupons-ready-en');

  const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
  const lines = (await readFile(await file.path(), 'utf8')).trim().split(/\r?\n/);
  const rows = lines.slice(1).map((line) => line.split(',')[0]!.replace(/"/g, ''));
  expect(rows).toHaveLength(5000);
  for (const code of rows) expect(code).toMatch(CODE);
  expect(new Set(rows).size).toBe(5000);
});

test('a brand creates a points offer and airdrops it to members who auto-convert, to completion', async ({
  browser,
}, testInfo) => {
  const brand = await signUpAccount('brand');
  // Two members with auto-convert on and the points of one published note each.
  for (let n = 0; n < 2; n += 1) {
    const member = await signUpAccount('member', 'BR');
    await api('PATCH', '/v1/me', member.token, { autoConvertPoints: true });
    await api('POST', '/v1/notes', member.token, {
      clientId: randomUUID(),
      title: 'Pão de queijo at dawn',
      body: 'Cheese bread from Minas, still warm.',
      languages: ['pt-BR'],
      cultureTags: [],
    });
  }

  for (const language of ['en-US', 'pt-BR'] as const) {
    const context = await browser.newContext({ locale: language, timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await signInThroughPage(
      page,
      brand,
      language === 'pt-BR'
        ? { email: 'E-mail', password: 'Senha', submit: 'Entrar' }
        : { email: 'Email', password: 'Password', submit: 'Sign in' },
    );
    await page.goto('/console/offers');
    await expectAccessible(page);
    await screenshots(page, testInfo, `offers-${language}`);
    if (language === 'pt-BR') {
      await expect(
        page.getByRole('heading', { level: 1, name: 'Ofertas de pontos' }),
      ).toBeVisible();
      await context.close();
      continue;
    }
    await expect(page.getByText('No offers yet.')).toBeVisible();
    await hydrated(page);
    const title = `Sencha 20% ${randomUUID().slice(0, 6)}`;
    await page.getByLabel('Title members see').fill(title);
    await page.getByLabel('Points per coupon').fill('20');
    await page.getByLabel('Coupons in the budget').fill('10');
    await page.getByLabel('Percent off (1–100)').fill('20');
    await page.getByRole('button', { name: 'Create offer' }).click();
    const offer = page.getByRole('article', { name: title });
    await expect(offer).toBeVisible();
    await expect(offer.getByText('20 points for 20% off')).toBeVisible();
    await expect(offer.getByText('Open', { exact: true })).toBeVisible();

    await offer.getByRole('button', { name: 'Airdrop to members' }).click();
    await expect(page).toHaveURL(/job=/);
    const running = page.getByRole('progressbar', { name: 'Airdrop in progress' });
    const done = page.getByText(/Airdrop complete: \d+ coupons issued\./);
    await expect(running.or(done)).toBeVisible();
    await expect(done).toBeVisible({ timeout: 30_000 });
    // Every member with the points and auto-convert got one (others of earlier tests may too).
    const issued = Number(/(\d+) coupons/.exec((await done.textContent()) ?? '')?.[1]);
    expect(issued).toBeGreaterThanOrEqual(2);
    await page.reload();
    const stats = page.getByRole('article', { name: title });
    await expect(stats.locator('dd').first()).toHaveText(`${issued} / 10`);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'offers-airdropped-en');
    await context.close();
  }
});
