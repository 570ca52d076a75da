import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api } from './support/account-api';
import { signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

/** The same letters in full width (ＡＢＣ), as a phone's CJK keyboard often types them. */
const fullWidth = (text: string) =>
  [...text].map((ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0)).join('');

/** A term of Latin letters, a published explanation of it, and a note using it in full width. */
async function noteWithFullWidthTerm() {
  const term = `vibe${randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 4)}`;
  const explainer = await signUpMember('BR');
  await api('POST', '/v1/glossary/terms', explainer.token, { term, language: 'en' });
  const explanation = `A mood you share with strangers (${term})`;
  await api('POST', `/v1/glossary/terms/${term}/explanations`, explainer.token, {
    language: 'en',
    text: explanation,
  });
  const writer = await signUpMember('JP');
  const written = fullWidth(term.toUpperCase());
  const note = await api<{ id: string; glossaryTerms: { term: string }[] }>(
    'POST',
    '/v1/notes',
    writer.token,
    {
      clientId: randomUUID(),
      title: `${written}な夜`,
      body: `屋台の灯りと音楽。まさに ${term.toUpperCase()}。`,
      languages: ['ja'],
    },
  );
  expect(note.glossaryTerms.map((entry) => entry.term)).toEqual([term]);
  return { id: note.id, term, written, explanation };
}

for (const language of [
  { locale: 'en-US', panel: 'Explanation of a hot word' },
  { locale: 'ja-JP', panel: null },
] as const) {
  test(`a term written in full width is marked in the title and the body (${language.locale})`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(150_000);
    const { id, term, written, explanation } = await noteWithFullWidthTerm();
    const context = await browser.newContext({ locale: language.locale });
    const page = await context.newPage();
    await page.goto(`/notes/${id}`);
    await hydrated(page);
    const inTitle = page.getByRole('heading', { level: 1 }).getByRole('button', { name: written });
    const inBody = page.locator('.note-body').getByRole('button', { name: term.toUpperCase() });
    await expect(inTitle).toHaveAttribute('aria-expanded', 'false');
    await expect(inBody).toHaveAttribute('aria-expanded', 'false');
    await inTitle.click();
    await expect(inTitle).toHaveAttribute('aria-expanded', 'true');
    const titlePanel = page.locator('#glossary-panel-title');
    await expect(titlePanel).toBeVisible();
    await expect(titlePanel).toContainText(explanation);
    if (language.panel)
      await expect(page.getByRole('region', { name: language.panel })).toContainText(term);
    // One panel at a time: the body's term closes the title's.
    await inBody.click();
    await expect(inTitle).toHaveAttribute('aria-expanded', 'false');
    await expect(titlePanel).toBeHidden();
    await expect(page.locator('#glossary-panel')).toContainText(explanation);
    await expectAccessible(page);
    await screenshots(page, testInfo, `note-full-width-term-${language.locale}`);
    await context.close();
  });
}
