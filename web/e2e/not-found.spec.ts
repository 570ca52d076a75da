import { expect, test } from '@playwright/test';
import { expectAccessible, screenshots } from './support/pages';

test('an unknown listing is the not-found page with status 404', async ({ page }, testInfo) => {
  const response = await page.goto('/listings/lst_00000000000000000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('link', { name: 'Back to the storefront' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'not-found-en');
});

test('an unknown stall, a malformed id and an unknown path are 404 pages too, in the viewer’s language', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  for (const path of [
    '/stalls/usr_00000000000000000000000000',
    '/listings/not-an-id',
    '/no/such/page',
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('ページが見つかりません');
  }
  await context.close();
});

test('an unknown API path still answers the API’s JSON 404', async ({ request }) => {
  const response = await request.get('/v1/no-such-route');
  expect(response.status()).toBe(404);
  expect(await response.json()).toMatchObject({ error: { type: 'not_found' } });
});

test('an unknown drop is the not-found page with status 404, in English and Portuguese', async ({
  browser,
}, testInfo) => {
  for (const [locale, heading, home] of [
    ['en-US', 'Page not found', 'Back to the storefront'],
    ['pt-BR', 'Página não encontrada', 'Voltar à vitrine'],
  ] as const) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const response = await page.goto('/drops/drp_00000000000000000000000000');
    expect(response?.status(), locale).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page.getByRole('link', { name: home })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, `drop-not-found-${locale}`);
    await context.close();
  }
});
