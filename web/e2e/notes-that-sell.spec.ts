import { randomUUID } from 'node:crypto';
import { expect as baseExpect, test } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { signUpAccount, type Account } from './support/console';
import { expectAccessible, hydrated, screenshots } from './support/pages';

// Sign-in, pages and an order on a shared 2-core machine: slow, never timed.
test.setTimeout(240_000);
const expect = baseExpect.configure({ timeout: 30_000 });

interface Note {
  id: string;
  title: string;
}

/** A brand's listing and a member's note linking it, made through the API. */
async function noteLinkingAListing(brand: Account, writer: Account) {
  const title = `Shino tea bowl ${randomUUID().slice(0, 6)}`;
  const listing = await api<{ id: string }>('POST', '/v1/listings', brand.token, {
    title,
    description: 'Thick white glaze, fired in Mino.',
    priceAmount: 4200,
    currency: 'JPY',
    quantity: 5,
    category: 'ceramics',
    condition: 'handmade',
  });
  const note = await api<Note>('POST', '/v1/notes', writer.token, {
    clientId: randomUUID(),
    title: `志野焼 — a bowl for the first tea ${randomUUID().slice(0, 4)}`,
    body: 'The glaze crawls where the kiln was hottest; the bowl I drink from every morning.',
    languages: ['ja', 'en'],
    cultureTags: ['sadō'],
    listingIds: [listing.id],
  });
  return { listing: { id: listing.id, title }, note };
}

test.describe('in English', () => {
  test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });

  test('note -> listing -> checkout names the note; the brand sees it bought through the note', async ({
    page,
    browser,
  }, testInfo) => {
    const [brand, writer, buyer] = await Promise.all([
      signUpAccount('brand'),
      signUpAccount('member'),
      signUpAccount('member', 'BR'),
    ]);
    const { listing, note } = await noteLinkingAListing(brand, writer);

    await signInThroughPage(page, buyer);
    await page.goto(`/notes/${note.id}`);
    const shop = page.getByRole('region', { name: 'Shop this note' });
    await expect(shop.getByRole('link', { name: listing.title })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'note-listings-en');

    await shop.getByRole('link', { name: listing.title }).click();
    await expect(page).toHaveURL(`/listings/${listing.id}?note=${note.id}`);
    await page.getByRole('link', { name: 'Buy now' }).click();
    await expect(page).toHaveURL(`/checkout?listingId=${listing.id}&note=${note.id}`);
    await hydrated(page);
    await page.getByLabel('Address', { exact: true }).fill('Rua Augusta 1500');
    await page.getByRole('textbox', { name: 'City', exact: true }).fill('São Paulo');
    await page.getByRole('textbox', { name: 'Postal code', exact: true }).fill('01304-001');
    await page.getByRole('combobox', { name: 'Country', exact: true }).selectOption('BR');
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect(page).toHaveURL(/\/orders\/ord_/);
    const orderId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const order = await api<{ referringNoteId: string | null }>(
      'GET',
      `/v1/orders/${orderId}`,
      buyer.token,
    );
    expect(order.referringNoteId).toBe(note.id);
    await page.getByRole('button', { name: 'Pay ¥4,200' }).click();
    await expect(page.getByRole('status').first()).toHaveText(
      'Paid — thank you! The seller will ship it soon.',
    );

    // The brand's console: the note, its author, one order, ¥4,200 net.
    const brandContext = await browser.newContext({
      locale: 'en-US',
      extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' },
    });
    const brandPage = await brandContext.newPage();
    await signInThroughPage(brandPage, brand);
    await brandPage.goto('/console');
    await brandPage
      .getByRole('navigation', { name: 'Console sections' })
      .getByRole('link', { name: 'Bought through notes' })
      .click();
    await expect(brandPage).toHaveURL('/console/content-impact');
    await expect(brandPage.getByRole('heading', { level: 1 })).toHaveText('Bought through notes');
    const row = brandPage.getByRole('listitem').filter({ hasText: note.title });
    await expect(row.getByRole('link', { name: note.title })).toBeVisible();
    await expect(row).toContainText(`Note by ${writer.displayName}`);
    await expect(row).toContainText('1 order · ¥4,200 net');
    await expectAccessible(brandPage);
    await screenshots(brandPage, testInfo, 'console-content-impact-en');
    await brandContext.close();
  });

  test('a brand whose listings no note links yet sees the empty state', async ({
    page,
  }, testInfo) => {
    const brand = await signUpAccount('brand');
    await signInThroughPage(page, brand);
    await page.goto('/console/content-impact');
    await expect(page.getByRole('status')).toContainText('No note links your listings yet.');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'console-content-impact-empty-en');
  });

  test('the home page shows a strip of community notes from the feed', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    const strip = page.getByRole('region', { name: /From the community|Out-of-control Friday/ });
    await expect(strip.getByRole('listitem').first()).toBeVisible();
    await strip.getByRole('listitem').first().getByRole('link').click();
    await expect(page).toHaveURL(/\/notes\/nte_/);
    await page.goto('/');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'storefront-feed-en');
  });
});

test.describe('in Japanese', () => {
  test.use({ locale: 'ja-JP', extraHTTPHeaders: { 'Accept-Language': 'ja,en;q=0.5' } });

  test('the note page lists its listings and the home page its notes, in Japanese', async ({
    page,
  }, testInfo) => {
    const [brand, writer] = await Promise.all([signUpAccount('brand'), signUpAccount('member')]);
    const { listing, note } = await noteLinkingAListing(brand, writer);
    await page.goto(`/notes/${note.id}`);
    const shop = page.getByRole('region', { name: 'このノートから買えるもの' });
    await expect(shop.getByRole('link', { name: listing.title })).toHaveAttribute(
      'href',
      `/listings/${listing.id}?note=${note.id}`,
    );
    await expectAccessible(page);
    await screenshots(page, testInfo, 'note-listings-ja');

    await page.goto('/');
    await expect(
      page.getByRole('region', { name: /コミュニティから|金曜日はランダム/ }),
    ).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'storefront-feed-ja');
  });
});
