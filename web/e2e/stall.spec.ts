import { expect, test } from '@playwright/test';
import { createListing, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test('a seller’s stall lists their items and pages through them with “more”', async ({
  page,
  request,
}, testInfo) => {
  const seller = await signUpMember('PT');
  const word = `azulejo${Date.now()}`;
  for (let index = 0; index < 25; index += 1)
    await createListing(seller, {
      title: `${word} tile ${index}`,
      priceAmount: 1250 + index,
      currency: 'EUR',
    });

  // The storefront: 24 per page, the 25th after "More listings", appended.
  await page.goto(`/?q=${word}`);
  await hydrated(page);
  const cards = page.locator('.card');
  await expect(cards).toHaveCount(24);
  await page.getByRole('link', { name: 'More listings' }).click();
  await expect(cards).toHaveCount(25);
  await expect(page.getByRole('link', { name: 'More listings' })).toHaveCount(0);
  await expect(page.getByText('€12.50').first()).toBeVisible();

  await page.getByRole('link', { name: `${word} tile 0` }).click();
  await page.getByRole('link', { name: seller.displayName }).click();
  await expect(page).toHaveURL(`/stalls/${seller.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${seller.displayName}’s stall`);
  await expect(page.getByText('25 listings')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'stall-en');

  const html = await (await request.get(`/stalls/${seller.id}`)).text();
  expect(html).toContain(`<meta property="og:title" content="${seller.displayName}’s stall"/>`);
});
