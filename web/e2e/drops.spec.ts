import { expect, test } from '@playwright/test';
import { createDrop, DEMO_BRAND, signIn, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.use({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });

test('a member solves a drop’s riddle in Japanese and buys through the purchase page', async ({
  page,
  request,
}, testInfo) => {
  const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
  const drop = await createDrop(brandToken, 6000);
  const buyer = await signUpMember('JP');

  await page.goto(`/signin?next=${encodeURIComponent(`/drops/${drop.id}`)}`);
  await page.getByLabel('メールアドレス').fill(buyer.email);
  await page.getByLabel('パスワード').fill(buyer.password);
  await page.getByRole('button', { name: 'ログイン' }).last().click();
  await expect(page).toHaveURL(`/drops/${drop.id}`);
  await hydrated(page);
  await expect(page.locator('blockquote.question')).toHaveText('千円札の裏に描かれている山は？');
  await expect(page.locator('blockquote.question')).toHaveAttribute('lang', 'ja');
  await expect(page.getByText('本栖湖から見えます。')).toBeVisible();

  // The page counts down to the opening and reloads itself once the drop is live.
  await expect(page.getByText('開催中', { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('終了まで')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'drop-live-ja');

  await page.getByLabel('答え').fill('東京タワー');
  await page.getByRole('button', { name: '回答する' }).click();
  await expect(page.getByRole('alert')).toHaveText('残念、不正解です。残り 9 回。');
  await page.getByLabel('答え').fill('富士山');
  await page.getByRole('button', { name: '回答する' }).click();
  await expect(page.getByRole('alert')).toContainText('正解！');
  await expect(page.getByRole('alert').getByRole('timer')).toHaveText(/^(10:00|09:\d\d)$/);
  await screenshots(page, testInfo, 'drop-solved-ja');

  await page.getByRole('link', { name: '今すぐ購入' }).click();
  await expect(page).toHaveURL(new RegExp(`/drops/${drop.id}/checkout\\?reservationToken=`));
  await page.getByLabel('住所').fill('富士河口湖町 1-2-3');
  await page.getByLabel('市区町村').fill('山梨県');
  await page.getByLabel('郵便番号').fill('401-0301');
  await expectAccessible(page);
  await page.getByRole('button', { name: '注文する' }).click();
  await expect(page).toHaveURL(/\/orders\/ord_/);
  // Japanese writes the yen sign full-width: ￥5,400.
  await page.getByRole('button', { name: /^[¥￥]5,400 を支払う$/ }).click();
  await expect(page.getByRole('status').first()).toHaveText(
    'お支払い済み。ありがとうございます！まもなく発送されます。',
  );

  const html = await (
    await request.get(`/drops/${drop.id}`, { headers: { 'Accept-Language': 'ja' } })
  ).text();
  expect(html).toMatch(/<meta property="og:title" content="Fuji riddle/);
  expect(html).toContain('<meta name="description" content="千円札の裏に描かれている山は？"/>');
});

test('the drops list shows live and coming drops with their countdowns', async ({
  page,
}, testInfo) => {
  await page.goto('/drops');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('謎解きドロップ');
  await expect(page.locator('.drop-list li').first()).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'drops-ja');
});
