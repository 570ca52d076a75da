import { expect, test, type Page } from '@playwright/test';
import { api, createPointsOffer, signInThroughPage } from './support/account-api';
import { DEMO_BRAND, signIn, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.use({ locale: 'en-US' });

async function switchTo(page: Page, language: string): Promise<void> {
  await page.goto('/');
  await hydrated(page);
  await page.getByLabel('Language').selectOption(language);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

test('my points: balance, history, an offer refused with a reason; my coupons empty', async ({
  page,
}, testInfo) => {
  const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
  const offer = await createPointsOffer(brandToken, 500);
  const member = await signUpMember('PT');
  await signInThroughPage(page, member);

  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My account');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'account-en');

  await page.getByRole('link', { name: /My points/ }).click();
  await expect(page.locator('.balance')).toHaveText('0 points');
  await expect(page.getByText('No points yet.')).toBeVisible();
  const card = page.getByRole('listitem').filter({ hasText: offer.title });
  await card.getByRole('button', { name: 'Trade 500 points' }).click();
  await expect(card.getByRole('alert')).toHaveText(
    'You do not have enough points for this offer yet.',
  );
  await expectAccessible(page);
  await screenshots(page, testInfo, 'points-en');

  await page.goto('/account/coupons');
  await expect(page.getByText('You have no coupons yet.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'coupons-en');
  const conversions = await api<{ data: unknown[] }>('GET', '/v1/points/conversions', member.token);
  expect(conversions.data).toHaveLength(0);
});

test('account, seller and notes pages in Japanese, on a phone too', async ({ page }, testInfo) => {
  // Eight pages, each hydrated, checked by axe and photographed: 43 s alone on this host today,
  // and over 60 s beside the rest of the suite.
  test.setTimeout(120_000);
  const member = await signUpMember('JP');
  await signInThroughPage(page, member);
  await switchTo(page, 'ja');
  const pages = [
    { path: '/account', heading: 'マイアカウント', name: 'account-ja' },
    { path: '/account/points', heading: 'マイポイント', name: 'points-ja' },
    { path: '/account/coupons', heading: 'マイクーポン', name: 'coupons-ja' },
    { path: '/sell/listings', heading: '出品一覧', name: 'my-listings-ja' },
    { path: '/sell/listings/new', heading: '出品する', name: 'listing-new-ja' },
    { path: '/sell/orders', heading: '発送待ちの注文', name: 'orders-to-ship-ja' },
    { path: '/notes', heading: 'ノート', name: 'notes-feed-ja' },
    { path: '/notes/new', heading: 'ノートを書く', name: 'composer-ja' },
  ];
  for (const target of pages) {
    await page.goto(target.path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(target.heading);
    await hydrated(page);
    await expectAccessible(page);
    await screenshots(page, testInfo, target.name);
  }
});
