import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { createListing, signUpMember, uploadPhoto } from './support/api';

test('uploaded photos show as their small variant in cards and medium on the listing page', async ({
  page,
}) => {
  const seller = await signUpMember('PT');
  const tall = await sharp({
    create: { width: 600, height: 1200, channels: 3, background: '#1f4e9c' },
  })
    .png()
    .toBuffer();
  const photo = await uploadPhoto(seller.token, tall);
  const title = `Photo test ${Date.now()}`;
  const listing = await createListing(seller, { title, images: [photo], currency: 'EUR' });

  await page.goto(`/listings/${listing.id}`);
  const image = page.locator('.listing-images img').first();
  await expect(image).toHaveAttribute('src', /\/media\/.+medium/);
  // Loaded (the page's CSP allows the API's image URLs), upright, at most 960 px tall.
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([480, 960]);
  await expect(page.locator('.listing-images a').first()).toHaveAttribute('href', /full/);

  await page.goto(`/stalls/${seller.id}`);
  const thumb = page.getByRole('link', { name: title }).locator('img');
  await expect(thumb).toHaveAttribute('src', /thumb/);
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(320);
});
