import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { createListing, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

/** The titles of the listing cards shown, in page order. */
function shownTitles(page: Page) {
  return page.getByRole('list', { name: /^(Listings|Anúncios)$/ }).locator('.card-title');
}

/** A category no other test uses, so the filtered page holds exactly this test's listings. */
const freshCategory = () => `e2e-${randomUUID().slice(0, 8)}`;

test.describe('storefront filters, chosen in the form', () => {
  test.use({ locale: 'en-US' });

  test('category, condition and ships-to each narrow the listings to those that match', async ({
    page,
  }, testInfo) => {
    const seller = await signUpMember('JP');
    const category = freshCategory();
    const tag = category.slice(4);
    const newJapan = await createListing(seller, {
      title: `Kokeshi doll ${tag}`,
      category,
      condition: 'new',
      shipsTo: ['JP'],
    });
    const usedBrazil = await createListing(seller, {
      title: `Bossa nova LP ${tag}`,
      category,
      condition: 'used',
      shipsTo: ['BR'],
    });
    const handmadeAnywhere = await createListing(seller, {
      title: `Indigo tenugui ${tag}`,
      category,
      condition: 'handmade',
    });
    // Same seller, same words, another category: never among this category's results.
    await createListing(seller, { title: `Kokeshi doll ${tag} (other)`, category: 'test' });

    await page.goto('/');
    await hydrated(page);
    await page.getByText('Filters', { exact: true }).click();
    // Typed as a visitor would; categories are compared lower-cased.
    await page.getByLabel('Category').fill(category.toUpperCase());
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]category=${category.toUpperCase()}(&|$)`));
    await expect(shownTitles(page)).toHaveText([
      handmadeAnywhere.title,
      usedBrazil.title,
      newJapan.title,
    ]);
    // The form keeps what was chosen, and stays open to change it.
    await expect(page.getByLabel('Category')).toHaveValue(category.toUpperCase());

    await hydrated(page);
    await page.getByLabel('Condition').selectOption('used');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]condition=used(&|$)/);
    await expect(shownTitles(page)).toHaveText([usedBrazil.title]);
    await expect(page.locator('.card-meta')).toHaveText([`Used · ${seller.displayName}`]);

    // Ships to Brazil: the listing shipping there, and the one shipping anywhere.
    await page.getByLabel('Condition').selectOption('');
    await page.getByLabel('Ships to').selectOption({ label: 'Brazil' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]shipsTo=BR(&|$)/);
    await expect(page).toHaveURL(/[?&]condition=(&|$)/);
    await expect(shownTitles(page)).toHaveText([handmadeAnywhere.title, usedBrazil.title]);
    await expect(page.getByLabel('Ships to')).toHaveValue('BR');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'storefront-filtered-en');

    // All three together: handmade, to Japan.
    await page.getByLabel('Condition').selectOption('handmade');
    await page.getByLabel('Ships to').selectOption({ label: 'Japan' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]shipsTo=JP(&|$)/);
    await expect(shownTitles(page)).toHaveText([handmadeAnywhere.title]);
    // Used, to Japan: nothing; the empty state offers to clear the filters.
    await page.getByLabel('Condition').selectOption('used');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/[?&]condition=used(&|$)/);
    await expect(page.getByRole('status')).toContainText('No listings match this search yet.');
    await page.getByRole('status').getByRole('link', { name: 'Clear search and filters' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Newest listings');
  });
});

test.describe('storefront filters across pages, in Portuguese', () => {
  test.use({ locale: 'pt-BR', extraHTTPHeaders: { 'Accept-Language': 'pt-BR' } });

  test('the filters chosen in the form still apply to the listings “more” brings', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    const seller = await signUpMember('BR');
    const category = freshCategory();
    const tag = category.slice(4);
    // 26 matching listings (more than the 24 of a page), with listings matching all but one
    // filter between them: newest first, a filter lost on page two would show those.
    const matching: string[] = [];
    for (let n = 1; n <= 26; n += 1) {
      const listing = await createListing(seller, {
        title: `Azulejo ${tag} ${String(n).padStart(2, '0')}`,
        category,
        condition: 'used',
        shipsTo: ['BR', 'PT'],
        currency: 'BRL',
      });
      matching.unshift(listing.title);
      if (n % 6 === 0) {
        await createListing(seller, {
          title: `Novo ${tag} ${n}`,
          category,
          condition: 'new',
          shipsTo: ['BR'],
          currency: 'BRL',
        });
        await createListing(seller, {
          title: `Só Japão ${tag} ${n}`,
          category,
          condition: 'used',
          shipsTo: ['JP'],
          currency: 'BRL',
        });
      }
    }

    await page.goto('/');
    await hydrated(page);
    await page.getByText('Filtros', { exact: true }).click();
    await page.getByLabel('Categoria').fill(category);
    await page.getByLabel('Condição').selectOption({ label: 'Usado' });
    await page.getByLabel('Envia para').selectOption({ label: 'Brasil' });
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expect(page).toHaveURL(/[?&]shipsTo=BR(&|$)/);
    await expect(shownTitles(page)).toHaveText(matching.slice(0, 24));

    const more = page.getByRole('link', { name: 'Mais anúncios' });
    const href = await more.getAttribute('href');
    const params = new URL(href ?? '', page.url()).searchParams;
    expect(Object.fromEntries(params)).toMatchObject({
      category,
      condition: 'used',
      shipsTo: 'BR',
    });
    expect(params.get('cursor')).toBeTruthy();
    await hydrated(page);
    await more.click();
    await expect(shownTitles(page)).toHaveText(matching);
    // That was the last page.
    await expect(more).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'storefront-filtered-more-pt-BR');

    // The "more" link is a plain link too: without JavaScript, page two alone, still filtered.
    await page.goto(href ?? '');
    await expect(shownTitles(page)).toHaveText(matching.slice(24));
  });
});
