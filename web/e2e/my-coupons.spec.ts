import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api, createPointsOffer, signInThroughPage } from './support/account-api';
import { createListing, signUpMember } from './support/api';
import { signUpAccount } from './support/console';
import { expectAccessible, hydrated, screenshots } from './support/pages';

interface OwnedCoupon {
  code: string;
  status: string;
  expiresAt: string;
  redeemedAt: string | null;
}

/** How the page writes a time: the viewer's language and zone (src: web/app/format). */
function localTime(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

test.use({ locale: 'en-US', timezoneId: 'America/Sao_Paulo' });

test('a coupon traded for points is listed with its code, discount and expiry, and pays for an order', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const brand = await signUpAccount('brand');
  const offer = await createPointsOffer(brand.token, 20);
  const listing = await createListing(
    { token: brand.token },
    {
      title: `Sencha tin ${randomUUID().slice(0, 6)}`,
      priceAmount: 3000,
      currency: 'JPY',
      shipsTo: ['BR', 'JP'],
    },
  );
  // A published note earns its writer 20 points: enough for the offer.
  const member = await signUpMember('BR');
  await api('POST', '/v1/notes', member.token, {
    clientId: randomUUID(),
    title: 'Chimarrão on a cold morning',
    body: 'Yerba mate in a gourd, passed around.',
    languages: ['pt-BR'],
    cultureTags: [],
  });
  await expect
    .poll(
      async () => (await api<{ balance: number }>('GET', '/v1/me/points', member.token)).balance,
    )
    .toBe(20);

  await signInThroughPage(page, member);
  await page.goto('/account/points');
  await hydrated(page);
  const card = page.getByRole('listitem').filter({ hasText: offer.title });
  await card.getByRole('button', { name: 'Trade 20 points' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'your coupon is being issued' }),
  ).toBeVisible();
  // The coupon is issued by a job: once it has run, the member owns it.
  await expect
    .poll(
      async () =>
        (await api<{ data: OwnedCoupon[] }>('GET', '/v1/me/coupons', member.token)).data.length,
      { timeout: 30_000 },
    )
    .toBe(1);
  const [owned] = (await api<{ data: OwnedCoupon[] }>('GET', '/v1/me/coupons', member.token)).data;
  if (!owned) throw new Error('no coupon');

  await page.getByRole('link', { name: 'Open my coupons' }).click();
  await expect(page).toHaveURL('/account/coupons');
  await hydrated(page);
  const coupon = page.locator('.row-card').filter({ hasText: owned.code });
  await expect(coupon.locator('.card-title')).toHaveText(`10% off · ${brand.displayName}`);
  await expect(coupon.locator('.code')).toHaveText(owned.code);
  await expect(coupon.locator('.status')).toHaveText('Ready to use');
  // Valid for the offer's 30 days, written in the viewer's zone.
  const days = (Date.parse(owned.expiresAt) - Date.now()) / (24 * 3600 * 1000);
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThanOrEqual(30);
  await expect(coupon.getByText('Valid until')).toBeVisible();
  await expect(coupon.locator('time')).toHaveAttribute('datetime', owned.expiresAt);
  await expect(coupon.locator('time')).toHaveText(
    localTime(owned.expiresAt, 'en', 'America/Sao_Paulo'),
  );
  await expect(page.getByText('You have no coupons yet.')).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'coupons-owned-en');

  // The code, as the page shows it, at checkout of the brand's item.
  const code = (await coupon.locator('.code').textContent()) ?? '';
  await page.goto(`/listings/${listing.id}`);
  await page.getByRole('link', { name: 'Buy now' }).click();
  await expect(page).toHaveURL(`/checkout?listingId=${listing.id}`);
  await hydrated(page);
  await page.getByLabel('Address', { exact: true }).fill('Rua Augusta 1500');
  await page.getByLabel('City').fill('São Paulo');
  await page.getByLabel('Postal code').fill('01304-001');
  await page.getByLabel('Coupon code (optional)').fill(code);
  await expect(page.locator('#coupon-status')).toHaveText('Coupon applies: −¥300');
  await expect(page.locator('.totals .price')).toHaveText('¥2,700');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/ord_/);
  const orderUrl = page.url();

  await page.goto('/account/coupons');
  await expect(coupon.locator('.status')).toHaveText('Held by an unpaid order');

  await page.goto(orderUrl);
  await page.getByRole('button', { name: 'Pay ¥2,700' }).click();
  await expect(page.getByRole('status').first()).toHaveText(
    'Paid — thank you! The seller will ship it soon.',
  );
  await page.goto('/account/coupons');
  await hydrated(page);
  await expect(coupon.locator('.status')).toHaveText('Used');
  const [used] = (await api<{ data: OwnedCoupon[] }>('GET', '/v1/me/coupons', member.token)).data;
  expect(used).toMatchObject({ code: owned.code, status: 'redeemed' });
  await expect(coupon.getByText('Used on')).toBeVisible();
  await expect(coupon.locator('time')).toHaveAttribute('datetime', used?.redeemedAt ?? '');

  // The same list in Portuguese.
  await page.getByLabel('Language').selectOption('pt-BR');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meus cupons');
  await expect(coupon.locator('.card-title')).toHaveText(`10% de desconto · ${brand.displayName}`);
  await expect(coupon.locator('.status')).toHaveText('Usado');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'coupons-used-pt-BR');
});
