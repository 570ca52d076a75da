import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { DateTime } from 'luxon';
import { createListing, signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';
import { WEB_TEST } from './support/service';

const ZONE = 'America/Sao_Paulo';

async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${WEB_TEST.url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A brand of its own (its zone: São Paulo, not the browser's), signed in through the page. */
async function brandSignedIn(page: Page, next: string) {
  const email = `brand-${randomUUID()}@example.test`;
  const password = 'correct horse battery';
  const { token } = await api<{ token: string }>('POST', '/v1/auth/signup', '', {
    email,
    password,
    displayName: 'Console Brand',
    country: 'BR',
    timezone: ZONE,
    accountType: 'brand',
    brandName: `Brand ${email.slice(6, 12)}`,
  });
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page).toHaveURL(next);
  await hydrated(page);
  return token;
}

const PUZZLE = {
  question: { en: 'Which mountain is on the 1000-yen note?', ja: '千円札の山は？' },
  answers: ['Mount Fuji', '富士山'],
};

test('a brand creates a drop through the form and watches it go live as members answer', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const brandToken = await brandSignedIn(page, '/console/drops');
  const listing = await createListing({ token: brandToken }, { title: 'Matcha tin' });

  await expect(page.getByRole('status')).toContainText('No drops yet');
  await page.getByRole('link', { name: 'New drop' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New drop');
  await hydrated(page);

  // Sent empty: the API's refusals come back next to each field.
  await page.getByRole('button', { name: 'Create drop' }).click();
  await expect(page.getByRole('alert')).toContainText('fields need fixing');
  await expect(page.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-title-error')).not.toBeEmpty();
  await expect(page.locator('#f-listingId-error')).not.toBeEmpty();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-drop-form-errors-en');

  await page.getByLabel('Title').fill('Fuji riddle');
  await page.getByLabel('Listing the stock comes from').selectOption(listing.id);
  await page.getByLabel('Units in the drop').fill('2');
  // The end follows the opening and the length as they are typed, in the brand's zone.
  await page.getByLabel(`Opens at (${ZONE})`).fill('2031-03-10T20:00');
  await expect(page.locator('.drop-end')).toContainText('Mar 12, 2031');
  await expect(page.locator('.drop-end')).toContainText('8:00');
  await page.getByLabel('Length in hours').fill('1.5');
  await expect(page.locator('.drop-end')).toContainText('Mar 10, 2031');
  await expect(page.locator('.drop-end')).toContainText('9:30');
  await page.getByLabel('Length in hours').fill('48');

  const english = page.getByRole('group', { name: 'English' });
  await english.getByLabel('Question').fill(PUZZLE.question.en);
  await english.getByLabel('Hint 1').fill('Seen from Lake Motosu.');
  await page.getByRole('group', { name: '日本語' }).getByLabel('Question').fill(PUZZLE.question.ja);
  await page.getByLabel('Hint 1: hours after opening').fill('2');
  await page.getByLabel('Accepted answers, one per line').fill(PUZZLE.answers.join('\n'));

  // The preview: each buyer language with the buyer page's own words.
  const preview = page.getByRole('tabpanel');
  await expect(preview.locator('blockquote')).toHaveText(PUZZLE.question.en);
  await page.getByRole('tab', { name: '日本語' }).click();
  await expect(preview).toHaveAttribute('lang', 'ja');
  await expect(preview.locator('blockquote')).toHaveText(PUZZLE.question.ja);
  await expect(preview).toContainText('謎');
  await page.getByRole('tab', { name: 'Português (Brasil)' }).click();
  await expect(preview.locator('blockquote')).toHaveText(PUZZLE.question.en);
  await expect(preview.locator('blockquote')).toHaveAttribute('lang', 'en');
  await expect(preview).toContainText('não está no seu idioma');
  await expect(preview).toContainText('Seen from Lake Motosu.');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-drop-form-en');

  // Opens a few seconds from now (seconds typed in: the input keeps them).
  const opens = DateTime.now().setZone(ZONE).plus({ seconds: 6 });
  await page.getByLabel(`Opens at (${ZONE})`).fill(opens.toFormat("yyyy-MM-dd'T'HH:mm:ss"));
  await page.getByRole('button', { name: 'Create drop' }).click();
  await expect(page).toHaveURL(/\/console\/drops\/drp_[^/]+$/);
  const dropId = page.url().split('/').pop()!;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Fuji riddle');
  await expect(page.locator('[data-stat="attempts"] dd')).toHaveText('0');
  await expect(page.locator('.drop-stats .badge')).toHaveText('Live', { timeout: 30_000 });

  // The answers are write-only: no API answer and no page carries them.
  const drop = await api<Record<string, unknown>>(
    'GET',
    `/v1/campaigns/drops/${dropId}`,
    brandToken,
  );
  expect(JSON.stringify(drop)).not.toContain('Mount Fuji');

  const members = await Promise.all([signUpMember('BR'), signUpMember('JP')]);
  const answer = (token: string, text: string) =>
    api<{ correct: boolean }>('POST', `/v1/campaigns/drops/${dropId}/attempts`, token, {
      answer: text,
    });
  expect((await answer(members[0].token, 'Tokyo Tower')).correct).toBe(false);
  expect((await answer(members[0].token, 'mount fuji')).correct).toBe(true);
  expect((await answer(members[1].token, '富士山')).correct).toBe(true);

  // The page asks again while the drop runs: the figures and the chart move by themselves.
  await expect(page.locator('[data-stat="attempts"] dd')).toHaveText('3', { timeout: 15_000 });
  await expect(page.locator('[data-stat="participants"] dd')).toHaveText('2');
  await expect(page.locator('[data-stat="solves"] dd')).toHaveText('2');
  await expect(page.locator('[data-stat="reservations"] dd')).toHaveText('2');
  await expect(page.locator('[data-stat="stockLeft"] dd')).toHaveText('0');
  await expect(page.locator('.chart svg.recharts-surface[role="application"]')).toBeVisible();
  await expect(page.locator('.chart .recharts-line')).toHaveCount(2);
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-drop-stats-en');

  // The same pages in Japanese, switched on the page: the console's strings follow.
  await page.getByLabel('Language').selectOption('ja');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.locator('[data-stat="attempts"] dt')).toHaveText('回答数');
  await expect(page.locator('.chart svg.recharts-surface[role="application"]')).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-drop-stats-ja');
  await page.goto('/console/drops');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ドロップ');
  await expect(page.getByRole('link', { name: 'Fuji riddle', exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-drops-ja');
});

test('a scheduled drop is edited without its answers showing, then canceled', async ({
  page,
}, testInfo) => {
  const brandToken = await brandSignedIn(page, '/console/drops');
  const listing = await createListing({ token: brandToken }, { title: 'Tea bowl' });
  const created = await api<{ id: string }>('POST', '/v1/campaigns/drops', brandToken, {
    title: 'Later riddle',
    listingId: listing.id,
    stock: 1,
    startsAt: '2031-05-01T10:00:00',
    timezone: ZONE,
    puzzle: PUZZLE,
  });

  await page.goto(`/console/drops/${created.id}/edit`);
  await hydrated(page);
  await expect(page.getByLabel(`Opens at (${ZONE})`)).toHaveValue('2031-05-01T10:00');
  await expect(page.getByLabel('Accepted answers, one per line')).toHaveValue('');
  expect(await page.content()).not.toContain('Mount Fuji');
  await expectAccessible(page);
  await screenshots(page, testInfo, 'console-drop-edit-en');

  // A changed riddle needs its answers typed again.
  await page.getByRole('group', { name: 'English' }).getByLabel('Question').fill('Which peak?');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('#f-answers-error')).toHaveText(
    'Type the accepted answers again to change the riddle.',
  );
  await page.getByLabel('Title').fill('Later riddle, renamed');
  await page.getByLabel('Accepted answers, one per line').fill('Fuji');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page).toHaveURL(/\/console\/drops\?saved=/);
  await expect(page.getByRole('status').first()).toHaveText('Drop saved.');
  const saved = await api<{ title: string; puzzle: { question: Record<string, string> } }>(
    'GET',
    `/v1/campaigns/drops/${created.id}`,
    brandToken,
  );
  expect(saved.title).toBe('Later riddle, renamed');
  expect(saved.puzzle.question.en).toBe('Which peak?');

  await expectAccessible(page);
  await page.getByRole('button', { name: 'Cancel drop: Later riddle, renamed' }).click();
  await expect(page.locator('.row-card .badge').first()).toHaveText('Canceled');
  const canceled = await api<{ status: string }>(
    'GET',
    `/v1/campaigns/drops/${created.id}`,
    brandToken,
  );
  expect(canceled.status).toBe('canceled');
  await screenshots(page, testInfo, 'console-drops-en');
});

test('a member without the brand role is refused the drops pages', async ({ page }) => {
  const member = await signUpMember('JP');
  await page.goto('/signin?next=%2Fconsole%2Fdrops');
  await hydrated(page);
  await page.getByLabel('Email').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Sign in' }).last().click();
  await expect(page).toHaveURL('/console/drops');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not open to your account');
  const json = await page.request.get('/console/drops/drp_x/stats.json');
  expect(json.status()).toBe(403);
});
