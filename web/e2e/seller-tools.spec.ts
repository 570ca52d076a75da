import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api, placeOrder, signInThroughPage } from './support/account-api';
import { createListing, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';
import { cameraPhoto as photo, expectColour, shownColour, storedColour } from './support/photos';

test.use({ locale: 'en-US' });

test('a seller uploads photos, lists an item, finds it in their listings and edits it', async ({
  page,
}, testInfo) => {
  const seller = await signUpMember('JP');
  await signInThroughPage(page, seller);
  await page.goto('/sell/listings');
  await expect(page.getByText('You have not listed anything yet.')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'my-listings-empty-en');

  await page.getByRole('link', { name: 'List an item' }).last().click();
  await expect(page).toHaveURL('/sell/listings/new');
  await hydrated(page);
  await page.getByLabel('Choose photos').setInputFiles([
    { name: 'teapot.jpg', mimeType: 'image/jpeg', buffer: await photo('#8a2c0d') },
    { name: 'lid.jpg', mimeType: 'image/jpeg', buffer: await photo('#1f6b2a') },
  ]);
  const photos = page.getByRole('list', { name: 'Chosen photos, in order' }).getByRole('listitem');
  await expect(photos).toHaveCount(2);
  await expect(photos.nth(0)).toContainText('Cover photo');
  await expect(photos.nth(1)).toContainText('Photo 2');
  // The second photo becomes the cover.
  await page.getByRole('button', { name: 'Move photo 2 earlier' }).click();
  await expect(photos.getByText('Uploading…')).toHaveCount(0);
  await expect(photos.locator('.photo-state')).toHaveText(['Cover photo', 'Photo 2']);
  expectColour(await shownColour(photos.nth(0).getByRole('img')), '#1f6b2a');
  expectColour(await shownColour(photos.nth(1).getByRole('img')), '#8a2c0d');
  const title = `Tokoname teapot ${randomUUID().slice(0, 6)}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Description').fill('Red clay kyusu, 300 ml.');
  await page.getByLabel('Price').fill('4800');
  await page.getByLabel('Category').fill('Tea');
  await page.getByLabel('Condition').selectOption('handmade');
  await page.getByLabel('Ships to').selectOption(['JP', 'BR']);
  await expect(page.getByText('Ships to: Brazil, Japan')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'listing-new-en');
  await page.getByRole('button', { name: 'Publish listing' }).click();

  await expect(page).toHaveURL(/\/listings\/lst_/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const listingId = new URL(page.url()).pathname.split('/').pop() ?? '';
  const cover = page.locator('.listing-images img').first();
  await expect(cover).toHaveAttribute('src', /\/media\/med_[^/]+\/medium\.webp/);
  // Loaded, not just named: the 1200×900 cover comes back at most 960 px wide.
  await expect
    .poll(() => cover.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([960, 720]);
  // The lid, moved to the front before publishing, is the cover, on the page and in the API.
  expectColour(await shownColour(cover), '#1f6b2a');
  const listing = await api<{
    images: string[];
    media: { id: string; variants: { medium: string } }[];
    category: string;
  }>('GET', `/v1/listings/${listingId}`);
  expect(listing.media).toHaveLength(2);
  expectColour(await storedColour(listing.media[0]?.variants.medium ?? ''), '#1f6b2a');
  expectColour(await storedColour(listing.media[1]?.variants.medium ?? ''), '#8a2c0d');
  expect(listing.category).toBe('tea');

  await page.goto('/sell/listings');
  await expect(page.getByRole('link', { name: title, exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'my-listings-en');
  await page.getByRole('button', { name: `Pause: ${title}` }).click();
  await expect(page.getByText('Paused — hidden from buyers')).toBeVisible();

  await page.getByRole('link', { name: `Edit: ${title}` }).click();
  await expect(page).toHaveURL(`/sell/listings/${listingId}/edit`);
  await hydrated(page);
  await expect(photos).toHaveCount(2);
  await expect(page.getByLabel('Price')).toHaveValue('4800');
  await page.getByRole('button', { name: 'Remove photo 2' }).click();
  await page.getByLabel('Price').fill('4500');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'listing-edit-en');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(`/listings/${listingId}`);
  const edited = await api<{ priceAmount: number; media: { id: string }[]; status: string }>(
    'GET',
    `/v1/listings/${listingId}`,
  );
  expect(edited).toMatchObject({ priceAmount: 4500, status: 'paused' });
  expect(edited.media.map((media) => media.id)).toEqual([listing.media[0]?.id]);
});

test('a price that is not a number is explained in place', async ({ page }) => {
  const seller = await signUpMember('BR');
  await signInThroughPage(page, seller);
  await page.goto('/sell/listings/new');
  await hydrated(page);
  await page.getByLabel('Title').fill('Azulejo tile');
  await page.getByLabel('Price').fill('12.345');
  await page.getByLabel('Currency').selectOption('BRL');
  await page.getByLabel('Category').fill('decor');
  await page.getByRole('button', { name: 'Publish listing' }).click();
  await expect(page.getByRole('alert')).toContainText('Please enter the price as a number');
  await expect(page.getByLabel('Title')).toHaveValue('Azulejo tile');
});

test('my orders shows an order and cancel works; the seller ships a paid one', async ({
  page,
  browser,
}, testInfo) => {
  const seller = await signUpMember('JP');
  const buyer = await signUpMember('BR');
  const first = await createListing(seller, { title: `Furoshiki ${randomUUID().slice(0, 6)}` });
  const second = await createListing(seller, { title: `Tenugui ${randomUUID().slice(0, 6)}` });
  const toCancel = await placeOrder(buyer.token, first.id);
  const toShip = await placeOrder(buyer.token, second.id);
  await api('POST', `/v1/orders/${toShip}/pay`, buyer.token);

  await signInThroughPage(page, buyer);
  await page.goto('/orders');
  await expect(page.getByRole('link', { name: first.title })).toBeVisible();
  await page.getByRole('link', { name: first.title }).click();
  await expect(page).toHaveURL(`/orders/${toCancel}`);
  await page.getByRole('button', { name: 'Cancel order' }).click();
  await expect(page.getByRole('status').first()).toHaveText('Canceled');
  expect((await api<{ status: string }>('GET', `/v1/orders/${toCancel}`, buyer.token)).status).toBe(
    'canceled',
  );

  const sellerContext = await browser.newContext({ locale: 'en-US' });
  const sellerPage = await sellerContext.newPage();
  await signInThroughPage(sellerPage, seller);
  await sellerPage.goto('/sell/orders');
  const order = sellerPage.getByRole('article', { name: new RegExp(second.title) });
  await expect(order).toContainText('Ship to: Ana Souza, Rua Augusta 1500');
  await expect(order).toContainText('Paid — ready to ship');
  await expectAccessible(sellerPage);
  await screenshots(sellerPage, testInfo, 'orders-to-ship-en');
  await order.getByLabel('Carrier').fill('Japan Post');
  await order.getByLabel('Tracking number').fill('EJ123456789JP');
  await order.getByRole('button', { name: 'Mark as shipped' }).click();
  await expect(sellerPage.getByText('Nothing to ship right now.')).toBeVisible();
  const shipped = await api<{ status: string; trackingNumber: string }>(
    'GET',
    `/v1/orders/${toShip}`,
    buyer.token,
  );
  expect(shipped).toMatchObject({ status: 'shipped', trackingNumber: 'EJ123456789JP' });
  await sellerPage.getByRole('link', { name: 'Shipped' }).click();
  await expect(sellerPage.getByText('Tracking: Japan Post EJ123456789JP')).toBeVisible();
  await sellerContext.close();
});
