import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { createListing, signUpMember, uploadPhoto, type Member } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';
import { cameraPhoto, expectColour, shownColour, storedColour } from './support/photos';

const RED = '#8a2c0d';
const GREEN = '#1f6b2a';
const BLUE = '#1f4e9c';

interface StoredListing {
  media: { id: string; variants: { medium: string } }[];
}

/** The colours of a listing's photos as the API lists them, first (the cover) first. */
async function storedOrder(listingId: string): Promise<StoredListing['media']> {
  return (await api<StoredListing>('GET', `/v1/listings/${listingId}`)).media;
}

/** Each photo on the listing page is the expected one, in order, and has loaded. */
async function expectListingPhotos(page: Page, colours: string[]): Promise<void> {
  const images = page.locator('.listing-images img');
  await expect(images).toHaveCount(colours.length);
  for (const [index, colour] of colours.entries()) {
    await images.nth(index).scrollIntoViewIfNeeded();
    expectColour(await shownColour(images.nth(index)), colour);
  }
}

async function expectStoredPhotos(listingId: string, colours: string[]): Promise<void> {
  const media = await storedOrder(listingId);
  expect(media).toHaveLength(colours.length);
  for (const [index, colour] of colours.entries())
    expectColour(await storedColour(media[index]?.variants.medium ?? ''), colour);
}

async function fillListing(page: Page, title: string, labels: Record<string, string>) {
  await page.getByLabel(labels.title ?? 'Title').fill(title);
  await page.getByLabel(labels.price ?? 'Price').fill('2600');
  await page.getByLabel(labels.category ?? 'Category').fill('ceramics');
}

test.describe('photos dropped and dragged, in English', () => {
  test.use({ locale: 'en-US' });

  test('photos dropped on the picker are previewed, uploaded and listed in that order', async ({
    page,
  }, testInfo) => {
    const seller: Member = await signUpMember('JP');
    await signInThroughPage(page, seller);
    await page.goto('/sell/listings/new');
    await hydrated(page);

    const files = await Promise.all(
      [
        ['bowl.jpg', RED],
        ['plate.jpg', GREEN],
        ['cup.jpg', BLUE],
      ].map(async ([name, colour]) => ({
        name: name ?? '',
        type: 'image/jpeg',
        base64: (await cameraPhoto(colour ?? '')).toString('base64'),
      })),
    );
    // A file dragged from the desktop, as the browser hands it over: a DataTransfer of Files.
    // A text file among them is not a photo and is left out.
    const dataTransfer = await page.evaluateHandle(
      (entries) => {
        const transfer = new DataTransfer();
        for (const entry of entries) {
          const bytes = Uint8Array.from(atob(entry.base64), (c) => c.charCodeAt(0));
          transfer.items.add(new File([bytes], entry.name, { type: entry.type }));
        }
        return transfer;
      },
      [...files, { name: 'notes.txt', type: 'text/plain', base64: btoa('not a photo') }],
    );
    const dropzone = page.getByText('Drop photos here');
    await dropzone.dispatchEvent('dragover', { dataTransfer });
    await expect(page.locator('.dropzone')).toHaveClass(/dragging/);
    await dropzone.dispatchEvent('drop', { dataTransfer });
    await expect(page.locator('.dropzone')).not.toHaveClass(/dragging/);

    const photos = page
      .getByRole('list', { name: 'Chosen photos, in order' })
      .getByRole('listitem');
    await expect(photos).toHaveCount(3);
    await expect(photos.getByText('Uploading…')).toHaveCount(0);
    await expect(photos.locator('.photo-state')).toHaveText(['Cover photo', 'Photo 2', 'Photo 3']);
    // The previews are the dropped files themselves, loaded in the page, in the order dropped.
    for (const [index, colour] of [RED, GREEN, BLUE].entries())
      expectColour(await shownColour(photos.nth(index).getByRole('img')), colour);
    await expect(page.getByRole('status').filter({ hasText: 'cup.jpg uploaded.' })).toHaveCount(1);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'photos-dropped-en');

    const title = `Mashiko set ${randomUUID().slice(0, 6)}`;
    await fillListing(page, title, {});
    await page.getByRole('button', { name: 'Publish listing' }).click();
    await expect(page).toHaveURL(/\/listings\/lst_/);
    const listingId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await expectListingPhotos(page, [RED, GREEN, BLUE]);
    await expectStoredPhotos(listingId, [RED, GREEN, BLUE]);
  });
});

test.describe('photos reordered by dragging, in Japanese', () => {
  test.use({ locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja' } });

  test('a photo dragged to the front becomes the cover once saved', async ({ page }, testInfo) => {
    const seller = await signUpMember('JP');
    const ids = [
      await uploadPhoto(seller.token, await cameraPhoto(RED)),
      await uploadPhoto(seller.token, await cameraPhoto(GREEN)),
      await uploadPhoto(seller.token, await cameraPhoto(BLUE)),
    ];
    const listing = await createListing(seller, { title: `益子焼 ${randomUUID().slice(0, 6)}` });
    await api('PATCH', `/v1/listings/${listing.id}`, seller.token, { images: ids });
    await signInThroughPage(page, seller, {
      email: 'メールアドレス',
      password: 'パスワード',
      submit: 'ログイン',
    });

    await page.goto(`/sell/listings/${listing.id}/edit`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('出品を編集');
    await hydrated(page);
    const photos = page
      .getByRole('list', { name: '選んだ写真（順番どおり）' })
      .getByRole('listitem');
    await expect(photos).toHaveCount(3);
    for (const [index, colour] of [RED, GREEN, BLUE].entries())
      expectColour(await shownColour(photos.nth(index).getByRole('img')), colour);

    // The blue photo, dragged onto the first place.
    await photos.nth(2).dragTo(photos.nth(0));
    await expect(photos.locator('.photo-state')).toHaveText(['表紙の写真', '写真 2', '写真 3']);
    for (const [index, colour] of [BLUE, RED, GREEN].entries())
      expectColour(await shownColour(photos.nth(index).getByRole('img')), colour);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'photos-reordered-ja');

    await page.getByRole('button', { name: '変更を保存' }).click();
    await expect(page).toHaveURL(`/listings/${listing.id}`);
    await expectListingPhotos(page, [BLUE, RED, GREEN]);
    expect((await storedOrder(listing.id)).map((media) => media.id)).toEqual([
      ids[2],
      ids[0],
      ids[1],
    ]);
    await expectStoredPhotos(listing.id, [BLUE, RED, GREEN]);
    await screenshots(page, testInfo, 'listing-reordered-ja');
  });
});
