import { expect, test } from '@playwright/test';
import { DEMO_BRAND, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

// The console pages are heavier than the storefront's; a loaded machine needs the time.
test.describe.configure({ timeout: 90_000 });

async function signInThrough(
  page: import('@playwright/test').Page,
  next: string,
  email: string,
  password: string,
) {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page).toHaveURL(next);
  await hydrated(page);
}

test('the console asks a visitor to sign in, then shows a brand its sections', async ({
  page,
}, testInfo) => {
  await page.goto('/console');
  await expect(page).toHaveURL('/signin?next=%2Fconsole');
  await signInThrough(page, '/console', DEMO_BRAND.email, DEMO_BRAND.password);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Console');
  const nav = page.getByRole('navigation', { name: 'Console sections' });
  await expect(nav.getByRole('link', { name: 'Drops' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Console' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-home-brand-en');
});

test('a member without a console role sees no sections and no console link', async ({
  page,
}, testInfo) => {
  const member = await signUpMember('BR');
  await signInThrough(page, '/console', member.email, member.password);
  await expect(page.getByRole('status')).toContainText('Your account has no console sections');
  await expect(page.getByRole('navigation', { name: 'Console sections' })).toHaveCount(0);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Console' })).toHaveCount(0);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-home-member-en');
});
