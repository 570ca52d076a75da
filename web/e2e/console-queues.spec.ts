import { expect, test } from '@playwright/test';
import { signInThroughPage } from './support/account-api';
import { DEMO_STAFF, signUpAccount } from './support/console';
import { expectAccessible, screenshots } from './support/pages';

test.use({ locale: 'en-US' });
// Sign-in, pages and jobs on a shared 2-core machine: slow, never timed.
test.setTimeout(180_000);

test('an admin opens the queue dashboard from the console; signing out closes it', async ({
  page,
  context,
}, testInfo) => {
  await signInThroughPage(page, DEMO_STAFF.admin);
  await page.goto('/console/queues');
  await expect(page.getByRole('heading', { level: 1, name: 'Queue dashboard' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'queues-en');

  await page.getByRole('button', { name: 'Open the queue dashboard' }).click();
  await expect(page).toHaveURL(/\/admin\/queues/);
  // Bull Board's own page and scripts, with nothing but the cookie: its queue list loads.
  await expect(page.getByText(/orders/i).first()).toBeVisible({ timeout: 15_000 });
  const pass = (await context.cookies()).find((cookie) => cookie.name === 'cs_admin_pass');
  expect(pass).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/admin' });
  await page.screenshot({ path: testInfo.outputPath('bull-board-desktop.png') });
  const api = await page.request.get('/admin/queues/api/queues');
  expect(api.status()).toBe(200);

  // Sign-out revokes the session the pass stands for.
  await page.goto('/account');
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  const after = await page.request.get('/admin/queues/api/queues');
  expect(after.status()).toBe(401);
});

test('a member has no queue dashboard: the console refuses and /admin answers 401', async ({
  browser,
}, testInfo) => {
  const member = await signUpAccount('member');
  const context = await browser.newContext({ locale: 'pt-BR' });
  const page = await context.newPage();
  await signInThroughPage(page, member, { email: 'E-mail', password: 'Senha', submit: 'Entrar' });
  const refused = await page.goto('/console/queues');
  expect(refused?.status()).toBe(403);
  await expect(page.getByRole('button', { name: 'Abrir o painel de filas' })).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'queues-refused-pt-BR');
  const board = await page.goto('/admin/queues');
  expect(board?.status()).toBe(401);
  expect((await context.cookies()).some((cookie) => cookie.name === 'cs_admin_pass')).toBe(false);
  await context.close();
});
