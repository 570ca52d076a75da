import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { signUpMember } from './support/api';
import { expectAccessible, hydrated, PHONE, screenshots } from './support/pages';

interface NoteList {
  data: { id: string; title: string }[];
}

/** The demo note that uses 烟火气, 躺平 and 绝绝子 (src/demo/community-seed.ts). */
async function demoNoteId(): Promise<string> {
  const notes = await api<NoteList>('GET', '/v1/notes?tag=night-market');
  return notes.data[0]!.id;
}

test.describe('glossary in English', () => {
  // The machine running the suite is shared: axe on a full page can take a while.
  test.describe.configure({ timeout: 150_000 });
  test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });

  test('search a term, read it in your language first, explain it and vote', async ({
    page,
  }, testInfo) => {
    await page.goto('/glossary');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hot-word glossary');
    await expect(page.getByRole('link', { name: '烟火气' })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'glossary-list-en');

    await page.getByLabel('Find a term').fill('躺 平');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/q=/);
    await expect(page.locator('.row-list li')).toHaveCount(1);
    await page.getByRole('link', { name: '躺平' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('躺平');
    // English first, though the Portuguese one has fewer votes and the Japanese none.
    const explanations = page.locator('.explanation');
    await expect(explanations.first()).toHaveAttribute('class', /explanation/);
    await expect(explanations.first().locator('p').first()).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('link', { name: 'Sign in to explain this term' })).toBeVisible();

    const member = await signUpMember('BR');
    await signInThroughPage(page, member);
    await page.goto(`/glossary/${encodeURIComponent('躺平')}`);
    await hydrated(page);
    const text = `Deitar e não fazer nada: ${randomUUID().slice(0, 6)}`;
    await page.getByLabel('Language of your explanation').selectOption('pt-BR');
    await page.getByLabel('Your explanation', { exact: true }).fill(text);
    await page.getByRole('button', { name: 'Send the explanation' }).click();
    await expect(page.getByText('Thank you! Your explanation is published.')).toBeVisible();
    await expect(page.getByText(text)).toBeVisible();
    // A second one in the same language is refused in words.
    await page.getByLabel('Language of your explanation').selectOption('pt-BR');
    await page.getByLabel('Your explanation', { exact: true }).fill('De novo');
    await page.getByRole('button', { name: 'Send the explanation' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'You have already explained this term in that language.',
    );

    const first = explanations.first();
    await first.getByRole('button', { name: 'Helpful' }).click();
    await expect(first.getByRole('button', { name: /Helpful ✓/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(first).toContainText('3 votes');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'glossary-term-en');
  });

  test('a new term, then its empty state', async ({ page }, testInfo) => {
    const member = await signUpMember('JP');
    await signInThroughPage(page, member);
    await page.goto('/glossary?q=zzz-nothing');
    await expect(page.getByRole('status')).toContainText('No term contains “zzz-nothing”');
    const term = `打call${randomUUID().slice(0, 4)}`;
    await page.getByLabel('Term, as people write it').fill(term);
    await page.getByLabel('Language it comes from').selectOption('zh-Hans');
    await page.getByRole('button', { name: 'Add the term' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(term);
    await expect(page.getByText('Nobody has explained this term yet.')).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'glossary-new-term-en');
  });
});

test.describe('glossary terms in a note, in 简体中文', () => {
  // The machine running the suite is shared: axe on a full page can take a while.
  test.describe.configure({ timeout: 150_000 });
  test.use({ locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });

  test('terms are marked in the text; tapping one opens its explanation', async ({
    page,
  }, testInfo) => {
    await page.goto(`/notes/${await demoNoteId()}`);
    await hydrated(page);
    const term = page.getByRole('button', { name: '烟火气' }).first();
    await expect(term).toHaveAttribute('aria-expanded', 'false');
    await expect(page.locator('#glossary-panel')).toBeHidden();
    await term.click();
    await expect(term).toHaveAttribute('aria-expanded', 'true');
    const panel = page.getByRole('region', { name: '热词解释' });
    await expect(panel).toBeVisible();
    await expect(panel).toContainText('Smoke and fire air');
    // Keyboard alike: another term, opened with Enter.
    const flat = page.getByRole('button', { name: '躺平' });
    await flat.focus();
    await page.keyboard.press('Enter');
    await expect(flat).toHaveAttribute('aria-expanded', 'true');
    await expect(term).toHaveAttribute('aria-expanded', 'false');
    await expect(panel).toContainText('Lying flat');
    await expect(page.getByRole('link', { name: '绝绝子' })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'note-glossary-zh');

    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: '绝绝子' }).click();
    await expect(panel).toContainText('absolutely amazing');
    await page.screenshot({ path: testInfo.outputPath('note-glossary-zh-phone-open.png') });
    await panel.getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('绝绝子');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'glossary-term-zh');
  });
});
