import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { DEMO_STAFF, signUpAccount, type Account } from './support/console';
import { expectAccessible, hydrated, screenshots } from './support/pages';

test.use({ locale: 'en-US' });
// Sign-in, pages and jobs on a shared 2-core machine: slow, never timed.
test.setTimeout(180_000);

/** A note the cultural buffer holds (its tag is in MODERATION_TAGS of the service under test). */
async function heldNote(author: Account, title: string): Promise<string> {
  const note = await api<{ id: string; status: string }>('POST', '/v1/notes', author.token, {
    clientId: randomUUID(),
    title,
    body: `${title}: a line about the evening market, written for the review queue.`,
    languages: ['en', 'ja'],
    cultureTags: ['e2e-review'],
  });
  expect(note.status).toBe('pending_review');
  return note.id;
}

async function balanceOf(page: Page): Promise<string> {
  await page.goto('/account/points');
  return (await page.locator('.balance').textContent()) ?? '';
}

test('a moderator approves a held note with the keyboard and its author’s points appear', async ({
  page,
  browser,
}, testInfo) => {
  const author = await signUpAccount('member', 'KR');
  const first = `Night market ${randomUUID().slice(0, 6)}`;
  const second = `Rainy-season tea ${randomUUID().slice(0, 6)}`;
  const firstId = await heldNote(author, first);
  const secondId = await heldNote(author, second);

  const authorContext = await browser.newContext({ locale: 'en-US' });
  const authorPage = await authorContext.newPage();
  await signInThroughPage(authorPage, author);
  expect(await balanceOf(authorPage)).toBe('0 points');

  await signInThroughPage(page, DEMO_STAFF.moderator);
  await page.goto('/console/moderation');
  await expect(page.getByRole('heading', { level: 1, name: 'Moderation' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
  const card = page.getByRole('article', { name: first });
  await expect(card).toBeVisible();
  // As members will see it: the text, its languages and tags.
  await expect(card.getByText('a line about the evening market')).toBeVisible();
  await expect(card.getByText('#e2e-review')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'moderation-queue-en');

  await hydrated(page);
  await card.focus();
  await page.keyboard.press('a');
  await expect(page.getByRole('status').filter({ hasText: `Approved “${first}”.` })).toBeAttached();
  await expect(card).toHaveCount(0);
  // The note that took its place in the queue is selected; j / k move, r goes to the reason.
  await expect(page.locator('article.moderation-card:focus')).toHaveCount(1);
  const next = page.getByRole('article', { name: second });
  await next.focus();
  await page.keyboard.press('r');
  const reason = next.getByLabel('Reason for rejecting');
  await expect(reason).toBeFocused();
  // Typing in the field never triggers a shortcut: "a" is part of the reason.
  await page.keyboard.type('Please add a source for the tea prices.');
  await page.keyboard.press('Enter');
  await expect(next).toHaveCount(0);

  const published = await api<{ status: string }>('GET', `/v1/notes/${firstId}`, author.token);
  expect(published.status).toBe('published');
  const rejected = await api<{ status: string; rejectReason: string }>(
    'GET',
    `/v1/notes/${secondId}`,
    author.token,
  );
  expect(rejected.status).toBe('rejected');
  expect(rejected.rejectReason).toBe('Please add a source for the tea prices.');

  // A published note in two languages is cross-cultural: 20 + 10 points.
  await expect.poll(() => balanceOf(authorPage)).toBe('30 points');
  await authorContext.close();
});

test('the moderation queue in Japanese and on a phone; other roles are refused', async ({
  browser,
}, testInfo) => {
  const author = await signUpAccount('member', 'KR');
  await heldNote(author, `夜市 ${randomUUID().slice(0, 6)}`);
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await signInThroughPage(page, DEMO_STAFF.moderator, {
    email: 'メールアドレス',
    password: 'パスワード',
    submit: 'ログイン',
  });
  await page.goto('/console/moderation');
  await expect(page.getByRole('heading', { level: 1, name: 'モデレーション' })).toBeVisible();
  await expect(page.getByRole('button', { name: '承認' }).first()).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'moderation-queue-ja');

  const member = await signUpAccount('member');
  await context.clearCookies();
  await signInThroughPage(page, member, {
    email: 'メールアドレス',
    password: 'パスワード',
    submit: 'ログイン',
  });
  const refused = await page.goto('/console/moderation');
  expect(refused?.status()).toBe(403);
  await context.close();
});
