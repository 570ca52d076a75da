import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test('sign up, sign out and sign in again; the token never reaches page scripts', async ({
  page,
  context,
  request,
}, testInfo) => {
  const email = `buyer-${randomUUID()}@example.test`;
  await page.goto('/signup');
  await hydrated(page);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'signup-en');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByLabel('Display name').fill('Browser Buyer');
  await page.getByLabel('Country').selectOption('BR');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('link', { name: 'Browser Buyer' })).toBeVisible();

  const session = (await context.cookies()).find((cookie) => cookie.name === 'cs_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  expect(await page.evaluate(() => document.cookie)).not.toContain('cs_session');
  // React Router's cookie holds the token as base64 JSON.
  const token = JSON.parse(
    Buffer.from(decodeURIComponent(session!.value), 'base64').toString('utf8'),
  ) as string;
  const me = (bearer: string) =>
    request.get('/v1/me', { headers: { Authorization: `Bearer ${bearer}` } });
  expect((await me(token)).status()).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await context.cookies()).find((cookie) => cookie.name === 'cs_session')).toBeUndefined();
  // Sign-out revoked the token itself: a stolen copy of the cookie no longer works.
  expect((await me(token)).status()).toBe(401);

  await page.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByRole('alert')).toHaveText(
    'That email and password do not match an account.',
  );
  await expectAccessible(page);
  await screenshots(page, testInfo, 'signin-error-en');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page.getByRole('link', { name: 'Browser Buyer' })).toBeVisible();
});

test('signing up twice with one email says the account exists, in Portuguese', async ({
  browser,
}) => {
  const context = await browser.newContext({ locale: 'pt-BR' });
  const page = await context.newPage();
  const email = `twice-${randomUUID()}@example.test`;
  for (let round = 0; round < 2; round += 1) {
    await context.clearCookies();
    await page.goto('/signup');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Senha').fill('a long enough password');
    await page.getByLabel('Nome de exibição').fill('Duas Vezes');
    await page.getByRole('button', { name: 'Criar conta' }).last().click();
    if (round === 0) await expect(page).toHaveURL('/');
  }
  await expect(page.getByRole('alert')).toHaveText('Já existe uma conta com este e-mail.');
  await context.close();
});

// React Router refuses it first (400); the page's own Origin check (403) is the second wall.
test('a form posted from another site is refused', async ({ request }) => {
  const response = await request.post('/signin', {
    headers: { Origin: 'https://evil.example' },
    form: { email: 'mei@demo.cyberstall.test', password: 'cyberstall-demo' },
    maxRedirects: 0,
  });
  expect([400, 403]).toContain(response.status());
  expect(response.headers()['set-cookie'] ?? '').not.toContain('cs_session=');
});
