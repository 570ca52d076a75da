import { expect, test } from '@playwright/test';
import { signIn, signUpMember } from './support/api';
import { mailedLink, signUpAdmin } from './support/mail';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test('forgot password: the mailed link sets a new password, the old one stops working', async ({
  page,
  browser,
}, testInfo) => {
  const member = await signUpMember();
  const admin = await signUpAdmin();

  await page.goto('/signin');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'forgot-password-en');
  await page.getByLabel('Email').fill(member.email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('a link to reset its password');
  await screenshots(page, testInfo, 'forgot-password-sent-en');

  const link = await mailedLink(admin, member.email, 'password-reset');
  expect(link).toMatch(/^\/reset-password\?token=/);

  // The link opened in another browser, in Japanese.
  const japanese = await browser.newContext({ locale: 'ja-JP' });
  const other = await japanese.newPage();
  await other.goto(link);
  await hydrated(other);
  await expect(other.getByRole('heading', { name: '新しいパスワードの設定' })).toBeVisible();
  await expectAccessible(other);
  await screenshots(other, testInfo, 'reset-password-ja');
  await other.getByLabel('新しいパスワード').fill('a brand new password');
  await other.getByRole('button', { name: '新しいパスワードを保存' }).click();
  await expect(other.getByRole('status')).toContainText('パスワードを変更し');
  await screenshots(other, testInfo, 'reset-password-done-ja');

  await expect(signIn(member.email, member.password)).rejects.toThrow(/401/);
  expect(await signIn(member.email, 'a brand new password')).toBeTruthy();

  // The token works once.
  await other.goto(link);
  await hydrated(other);
  await other.getByLabel('新しいパスワード').fill('yet another password');
  await other.getByRole('button', { name: '新しいパスワードを保存' }).click();
  await expect(other.getByRole('alert')).toHaveText(
    'このリンクは無効、期限切れ、または使用済みです。もう一度リクエストしてください。',
  );
  await japanese.close();
});

test('the signup mail link confirms the email address', async ({ browser }, testInfo) => {
  const member = await signUpMember();
  const admin = await signUpAdmin();
  const link = await mailedLink(admin, member.email, 'verify-email');
  expect(link).toMatch(/^\/verify-email\?token=/);

  const context = await browser.newContext({ locale: 'pt-BR' });
  const page = await context.newPage();
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Confirme seu e-mail' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'verify-email-pt');
  await page.getByRole('button', { name: 'Confirmar meu e-mail' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'Obrigado: seu endereço de e-mail foi confirmado.',
  );
  const me = await fetch(new URL('/v1/me', page.url()), {
    headers: { Authorization: `Bearer ${member.token}` },
  });
  expect(((await me.json()) as { emailVerified?: boolean }).emailVerified).toBe(true);
  await context.close();
});
