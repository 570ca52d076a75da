import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import {
  createCoupon,
  createListing,
  DEMO_BRAND,
  shipOrder,
  signIn,
  signUpMember,
} from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test('a buyer searches 抹茶, checks out with a coupon (live preview), pays, receives it', async ({
  page,
  context,
}, testInfo) => {
  const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
  const title = `抹茶 ceremonial grade ${randomUUID().slice(0, 6)}`;
  const listing = await createListing(
    { token: brandToken },
    { title, priceAmount: 3000, currency: 'JPY', shipsTo: ['JP', 'BR', 'PT'] },
  );
  const code = await createCoupon(brandToken, 10);
  const buyer = await signUpMember('BR');

  // Signed in through the page, as a buyer would.
  await page.goto('/signin');
  await page.getByLabel('Email').fill(buyer.email);
  await page.getByLabel('Password').fill(buyer.password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByRole('link', { name: buyer.displayName })).toBeVisible();

  await page.getByRole('searchbox', { name: 'Search listings' }).fill('抹茶');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  // The new listing is also among the newest ones shown before the search: its link is clicked
  // in the results, not in the page the search is still replacing.
  await expect(page).toHaveURL(/[?&]q=%E6%8A%B9%E8%8C%B6/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('抹茶');
  await page.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(`/listings/${listing.id}`);
  await page.getByRole('link', { name: 'Buy now' }).click();
  await expect(page).toHaveURL(`/checkout?listingId=${listing.id}`);
  await hydrated(page);

  // Only the countries the listing ships to are offered; the buyer's own comes first.
  const country = page.getByLabel('Country');
  await expect(country.locator('option')).toHaveCount(3);
  await expect(country).toHaveValue('BR');
  await page.getByLabel('Address', { exact: true }).fill('Rua Augusta 1500');
  await page.getByLabel('City').fill('São Paulo');
  await page.getByLabel('Postal code').fill('01304-001');

  await page.getByLabel('Coupon code (optional)').fill(code.toLowerCase());
  await expect(page.locator('#coupon-status')).toHaveText('Coupon applies: −¥300');
  await expect(page.locator('.totals .price')).toHaveText('¥2,700');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'checkout-en');

  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/ord_/);
  await expect(page.getByRole('status').first()).toHaveText('Waiting for payment');
  await expect(page.getByRole('timer')).toHaveText(/^1[0-4]:\d\d$/);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Pay ¥2,700' }).click();
  await expect(page.getByRole('status').first()).toHaveText(
    'Paid — thank you! The seller will ship it soon.',
  );
  await expect(page.getByRole('timer')).toHaveCount(0);
  await screenshots(page, testInfo, 'order-paid-en');
  expect((await context.cookies()).some((cookie) => cookie.name === 'cs_session')).toBe(true);

  // The seller ships; the buyer finds the order under "My orders" and marks it received.
  const orderId = new URL(page.url()).pathname.split('/').pop() ?? '';
  await shipOrder(brandToken, orderId);
  await page.getByRole('link', { name: 'My orders' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My orders');
  await expectAccessible(page);
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByText('Tracking: Japan Post EJ123456789JP')).toBeVisible();
  await page.getByRole('button', { name: 'I received it' }).click();
  await expect(page.getByRole('status').first()).toHaveText('Received');
});

test('checkout asks a signed-out visitor to sign in first and comes back', async ({ page }) => {
  const seller = await signUpMember('JP');
  const listing = await createListing(seller);
  await page.goto(`/checkout?listingId=${listing.id}`);
  await expect(page).toHaveURL(
    `/signin?next=${encodeURIComponent(`/checkout?listingId=${listing.id}`)}`,
  );
  const buyer = await signUpMember('JP');
  await page.getByLabel('Email').fill(buyer.email);
  await page.getByLabel('Password').fill(buyer.password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page).toHaveURL(`/checkout?listingId=${listing.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checkout');
});

test('a drop purchase page without a valid reservation is refused in place', async ({ page }) => {
  const response = await page.goto(
    '/drops/drp_00000000000000000000000000/checkout?reservationToken=x',
  );
  expect(response?.status()).toBe(404);
});

test.describe('country names at checkout', () => {
  test.use({ locale: 'pt-BR', extraHTTPHeaders: { 'Accept-Language': 'pt-BR' } });

  test('are the server’s: the same in the served page and after hydration, in Portuguese', async ({
    page,
  }, testInfo) => {
    const seller = await signUpMember('JP');
    // Ships anywhere: every country is offered, those Node and Chromium word differently too.
    const listing = await createListing(seller, { currency: 'BRL', priceAmount: 4990 });
    const buyer = await signUpMember('BR');
    await page.goto('/signin');
    await page.locator('input[name="email"]').fill(buyer.email);
    await page.locator('input[name="password"]').fill(buyer.password);
    await page.locator('form[method="post"] button[type="submit"]').last().click();
    await expect(page.getByRole('link', { name: buyer.displayName })).toBeVisible();

    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(`/checkout?listingId=${listing.id}`);
    const served = [
      ...((await response?.text()) ?? '').matchAll(/<option value="([A-Z]{2})"[^>]*>([^<]*)</g),
    ].map(([, code, name]) => `${code} ${name}`);
    await hydrated(page);
    const country = page.locator('select[name="country"]');
    const shown = await country
      .locator('option')
      .evaluateAll((options) =>
        options.map((option) => `${(option as HTMLOptionElement).value} ${option.textContent}`),
      );
    expect(served.length).toBeGreaterThan(200);
    expect(shown).toEqual(served);
    expect(shown).toContain('HK Hong Kong');
    expect(shown).toContain('FK Ilhas Malvinas');
    await expect(country).toHaveValue('BR');
    // React reports a page it had to render again (error 418) on the console.
    expect(errors.filter((text) => /418|hydrat/i.test(text))).toEqual([]);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'checkout-pt-BR');
  });
});
