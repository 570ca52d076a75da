import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { placeOrder, signInThroughPage } from './support/account-api';
import { createListing, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.use({ locale: 'en-US' });

async function switchTo(page: Page, language: string): Promise<void> {
  await page.goto('/');
  await hydrated(page);
  await page.getByLabel('Language').selectOption(language);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

test('an EU member downloads their data once, then deletes their account', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const member = await signUpMember('PT');
  await signInThroughPage(page, member);
  await page.goto('/account');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Your data' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'vault-account-en');

  await page.getByRole('button', { name: 'Request a copy of my data' }).click();
  await expect(page).toHaveURL(/\/account\?export=dex_/);
  const link = page.getByRole('link', { name: 'Download my data' });
  for (let i = 0; i < 40 && !(await link.isVisible()); i += 1) {
    await page.waitForTimeout(250);
    await page.reload();
  }
  await expect(link).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'vault-export-ready-en');
  const download = page.waitForEvent('download');
  await link.click();
  const file = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as {
    account: { email: string; id: string };
  };
  expect(file.account).toMatchObject({ email: member.email, id: member.id });
  await page.reload();
  await expect(page.getByText('This copy was downloaded already.')).toBeVisible();

  const password = page.getByLabel('Your password, to confirm');
  await password.fill('not my password');
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page.getByRole('alert')).toHaveText('That is not your current password.');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'vault-delete-refused-en');
  await password.fill(member.password);
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await expect(page).toHaveURL(/\/\?accountDeleted=1$/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/signin/);
});

test('the data rights part of the account page in Brazilian Portuguese, on a phone too', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const member = await signUpMember('DE');
  await signInThroughPage(page, member);
  await switchTo(page, 'pt-BR');
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Seus dados' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Excluir minha conta' })).toBeVisible();
  await page.getByRole('button', { name: 'Pedir uma cópia dos meus dados' }).click();
  await expect(page).toHaveURL(/\/account\?export=dex_/);
  await expect(page.getByRole('status')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'vault-account-pt-BR');
});

test('an EU buyer sees their own shipping address on the order page, read from the vault', async ({
  page,
}, testInfo) => {
  const seller = await signUpMember('JP');
  const listing = await createListing(seller);
  const buyer = await signUpMember('PT');
  const orderId = await placeOrder(buyer.token, listing.id);
  await signInThroughPage(page, buyer);
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByText('Ana Souza, Rua Augusta 1500')).toBeVisible();
  await expect(page.getByText('São Paulo 01304-001, Brazil')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'vault-own-order-en');
});
