import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signInThroughPage } from './support/account-api';
import { signUpMember } from './support/api';
import { signUpAccount } from './support/console';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.describe.configure({ timeout: 180_000 });

test('a brand creates a challenge in the console; members find it and its seats fill', async ({
  browser,
}, testInfo) => {
  const brand = await signUpAccount('brand');
  const brandContext = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
  const page = await brandContext.newPage();
  await signInThroughPage(page, brand);
  await page.goto('/console');
  await page
    .getByRole('navigation', { name: 'Console sections' })
    .getByRole('link', { name: 'Challenges' })
    .click();
  await expect(page).toHaveURL('/console/challenges');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Writing challenges');
  await expect(page.getByText('You have no open or upcoming challenge.')).toBeVisible();
  await hydrated(page);

  // Refusals come back from the API, each under its own field.
  const title = `Your street food, in your words ${randomUUID().slice(0, 6)}`;
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Culture tag').fill('street-food');
  await page.getByLabel('Seats').fill('30');
  await page.getByLabel('Bonus points').fill('500');
  await page.getByLabel('Ends (Asia/Tokyo)').fill('2020-01-01T10:00');
  await page.getByRole('button', { name: 'Create the challenge' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    /The challenge was not created: \d fields? needs? fixing\./,
  );
  const bonus = page.getByLabel('Bonus points');
  await expect(bonus).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-bonusPoints-error')).toBeVisible();
  await expect(page.getByLabel('Title')).toHaveValue(title);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-challenge-errors-en');

  await bonus.fill('40');
  await page.getByRole('button', { name: 'Create the challenge' }).click();
  const ends = page.getByLabel('Ends (Asia/Tokyo)');
  await expect(ends).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-endsAt-error')).toBeVisible();
  await expect(bonus).not.toHaveAttribute('aria-invalid', 'true');

  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
    .format(tomorrow)
    .replace(' ', 'T');
  await ends.fill(local);
  await page.getByRole('button', { name: 'Create the challenge' }).click();
  await expect(page.getByRole('status')).toContainText('The challenge is created');
  const row = page.getByRole('article', { name: title });
  await expect(row).toContainText('#street-food');
  await expect(row).toContainText('Open');
  await expect(row.locator('dd').first()).toHaveText('0 / 30');

  // A member sees it on /challenges and takes part; the brand's list counts them.
  const member = await signUpMember('BR');
  const memberContext = await browser.newContext({ locale: 'en-US' });
  const memberPage = await memberContext.newPage();
  await signInThroughPage(memberPage, member);
  await memberPage.goto('/challenges');
  await memberPage.getByRole('link', { name: title }).click();
  await hydrated(memberPage);
  await memberPage.getByRole('button', { name: 'Take part' }).click();
  await expect(memberPage.getByText('1 of 30 seats taken')).toBeVisible();
  await memberContext.close();

  await page.reload();
  await expect(page.getByRole('article', { name: title }).locator('dd').first()).toHaveText(
    '1 / 30',
  );
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-challenges-en');
  await brandContext.close();
});

test('the challenges console reads in Portuguese and Japanese', async ({ browser }, testInfo) => {
  const brand = await signUpAccount('brand');
  const languages = [
    {
      locale: 'pt-BR',
      signIn: { email: 'E-mail', password: 'Senha', submit: 'Entrar' },
      heading: 'Desafios de escrita',
      empty: 'Você não tem desafios abertos ou próximos.',
    },
    {
      locale: 'ja-JP',
      signIn: { email: 'メールアドレス', password: 'パスワード', submit: 'ログイン' },
      heading: '執筆チャレンジ',
      empty: '開催中・開催予定のチャレンジはありません。',
    },
  ];
  for (const language of languages) {
    const context = await browser.newContext({ locale: language.locale, timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await signInThroughPage(page, brand, language.signIn);
    await page.goto('/console/challenges');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(language.heading);
    await expect(page.getByRole('status')).toHaveText(language.empty);
    await expectAccessible(page);
    await screenshots(page, testInfo, `console-challenges-${language.locale}`);
    await context.close();
  }
});
