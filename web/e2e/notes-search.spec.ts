import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { api } from './support/account-api';
import { signUpMember, type Member } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

/** Characters for a word of Han script no other note holds (a search finds its bigrams). */
const HAN = '山川风雨花鸟云月星海林石竹松梅雪江湖桥灯茶墨纸砚琴棋诗酒舟帆';

function hanWord(length = 4): string {
  return Array.from({ length }, () => HAN[Math.floor(Math.random() * HAN.length)]!).join('');
}

/** A Latin word of letters only that no other note holds. */
function latinWord(): string {
  return `q${randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 10)}`;
}

interface SyncResult {
  results: { id: string | null; status: string | null }[];
}

/** Published notes of the member, written through the offline sync (one call for many). */
async function writeNotes(member: Member, notes: { title: string; body: string }[]) {
  const { results } = await api<SyncResult>('POST', '/v1/notes/sync', member.token, {
    notes: notes.map((note) => ({ clientId: randomUUID(), languages: ['en'], ...note })),
  });
  expect(results.map((result) => result.status)).toEqual(notes.map(() => 'published'));
  return results.map((result) => result.id!);
}

test.describe('note search in 简体中文', () => {
  test.describe.configure({ timeout: 150_000 });
  test.use({ locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });

  test('a CJK word finds the note that holds it, without script too; none says so', async ({
    page,
    browser,
  }, testInfo) => {
    const word = hanWord();
    const writer = await signUpMember('JP');
    const [id] = await writeNotes(writer, [
      { title: `京都的早晨 ${randomUUID().slice(0, 4)}`, body: `今天在河边喝茶，看见了${word}。` },
    ]);
    // The search is a plain GET form: it works before (or without) any script.
    const bare = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
    const plain = await bare.newPage();
    await plain.goto('/notes');
    await plain.getByLabel('搜索笔记').fill(word);
    await plain.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(plain).toHaveURL(`/notes?q=${encodeURIComponent(word)}`);
    await expect(plain.locator('[data-note-id]')).toHaveCount(1);
    await expect(plain.locator(`[data-note-id="${id}"]`)).toBeVisible();
    await bare.close();

    await page.goto('/notes');
    await hydrated(page);
    await page.getByLabel('搜索笔记').fill(word);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page).toHaveURL(`/notes?q=${encodeURIComponent(word)}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`包含“${word}”的笔记`);
    await expect(page.locator('[data-note-id]')).toHaveCount(1);
    await expect(page.locator(`[data-note-id="${id}"]`)).toBeVisible();
    await expect(page.getByLabel('搜索笔记')).toHaveValue(word);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'notes-search-zh');

    const nothing = `${hanWord(3)}${latinWord()}`;
    await page.getByLabel('搜索笔记').fill(nothing);
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText(
      `没有笔记包含“${nothing}”。换个词或少用几个词试试。`,
    );
    await expect(page.locator('[data-note-id]')).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'notes-search-empty-zh');
  });
});

test.describe('note search in English', () => {
  test.describe.configure({ timeout: 150_000 });
  test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });

  test('a Latin word finds its notes, and the next page keeps the search', async ({
    page,
  }, testInfo) => {
    const word = latinWord();
    const writer = await signUpMember('BR');
    // One more than a page, so a second page exists; an unrelated note that must not show.
    const ids = await writeNotes(
      writer,
      Array.from({ length: 21 }, (_, i) => ({
        title: `Market day ${i + 1}`,
        body: `Fresh bread and ${word.toUpperCase()} at the corner stall.`,
      })),
    );
    const [unrelated] = await writeNotes(writer, [
      { title: 'Market day, no word', body: 'Only bread today.' },
    ]);
    await page.goto('/notes');
    await hydrated(page);
    await page.getByLabel('Search notes').fill(word);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page).toHaveURL(`/notes?q=${word}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Notes matching “${word}”`);
    const rows = page.locator('[data-note-id]');
    await expect(rows).toHaveCount(20);
    const first = await rows.evaluateAll((items) => items.map((item) => item.dataset.noteId));
    await expectAccessible(page);
    await screenshots(page, testInfo, 'notes-search-en');

    await page.getByRole('link', { name: 'Older notes' }).click();
    await expect(page).toHaveURL(new RegExp(`\\?q=${word}&cursor=`));
    await expect(rows).toHaveCount(1);
    await expect(page.getByLabel('Search notes')).toHaveValue(word);
    const second = await rows.evaluateAll((items) => items.map((item) => item.dataset.noteId));
    expect(new Set([...first, ...second])).toEqual(new Set(ids));
    expect(second).not.toContain(unrelated);
    await expect(page.getByRole('link', { name: 'Older notes' })).toHaveCount(0);
  });
});
