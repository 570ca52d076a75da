import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

/**
 * Zones from the date line's east to its west: at any moment at least one is not on a Friday,
 * and on Thursdays and Fridays (UTC) some are. The clock is the real one: which mode a page is
 * in follows from the day it is in the viewer's zone (the API's own tests inject a clock).
 */
const ZONES = [
  'Pacific/Kiritimati',
  'Pacific/Auckland',
  'Asia/Tokyo',
  'Europe/Lisbon',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'Etc/GMT+12',
];

function isFridayIn(zone: string): boolean {
  const day = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: zone });
  return day.format(new Date()) === 'Fri';
}

const LABEL = {
  en: { ranked: 'Ranked feed', random: 'Out-of-control Friday: every note in a random order' },
  zh: { ranked: '排序动态', random: '失控星期五：所有笔记随机排列' },
};

/**
 * The mode the page names is the one of the day in `zone`: read before the page and after it,
 * so that a run crossing midnight expects either day's mode and no other.
 */
async function expectModeOf(page: Page, zone: string, before: boolean, labels: typeof LABEL.en) {
  const mode = page.locator('.feed-mode strong');
  const after = isFridayIn(zone);
  const expected = [...new Set([before, after])].map((friday) =>
    friday ? labels.random : labels.ranked,
  );
  await expect(mode).toHaveText(new RegExp(`^(${expected.join('|')})$`));
}

/** Five authors, five published notes each: more than a page, several per author. */
async function writeNotes(): Promise<string[]> {
  const ids: string[] = [];
  for (let author = 0; author < 5; author += 1) {
    const member = await signUpMember('BR');
    const { results } = await api<{ results: { id: string | null }[] }>(
      'POST',
      '/v1/notes/sync',
      member.token,
      {
        notes: Array.from({ length: 5 }, (_, i) => ({
          clientId: randomUUID(),
          title: `Feira de domingo ${author}-${i}`,
          body: 'Pastel, caldo de cana e conversa na feira.',
          languages: ['pt-BR'],
        })),
      },
    );
    ids.push(...results.map((result) => result.id!));
  }
  return ids;
}

/** Every page of the feed through its "More notes" link: the note ids of each page. */
async function readAllPages(page: Page, more: string): Promise<string[][]> {
  const pages: string[][] = [];
  const rows = page.locator('[data-note-id]');
  for (;;) {
    await expect(rows.first()).toBeVisible();
    pages.push(await rows.evaluateAll((items) => items.map((item) => item.dataset.noteId!)));
    const next = page.getByRole('link', { name: more });
    if ((await next.count()) === 0) return pages;
    const href = (await next.getAttribute('href'))!;
    await next.click();
    await expect(page).toHaveURL((url) => `${url.pathname}${url.search}`.endsWith(href));
  }
}

function expectEachOnce(pages: string[][], created: string[]) {
  const seen = pages.flat();
  expect(seen.length, 'no note on two pages').toBe(new Set(seen).size);
  expect(seen, 'no note skipped').toEqual(expect.arrayContaining(created));
}

test.describe('the feed', () => {
  test.describe.configure({ timeout: 240_000 });

  test('a visitor pages through the feed in their own zone, each note once', async ({
    browser,
  }, testInfo) => {
    const created = await writeNotes();
    const zone = ZONES.find((candidate) => !isFridayIn(candidate))!;
    const context = await browser.newContext({ locale: 'en-US', timezoneId: zone });
    const page = await context.newPage();
    const before = isFridayIn(zone);
    await page.goto('/');
    await hydrated(page);
    await page.getByRole('link', { name: 'See the whole feed' }).click();
    await expect(page).toHaveURL('/feed');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Community feed');
    // A first visit is read in UTC until the browser has said its zone; then in that zone.
    await expect(page.locator('.feed-mode')).toContainText(zone);
    await expectModeOf(page, zone, before, LABEL.en);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'feed-en');

    const pages = await readAllPages(page, 'More notes');
    expect(pages.length).toBeGreaterThan(1);
    expectEachOnce(pages, created);
    await expect(page.getByRole('link', { name: 'Back to the first page' })).toBeVisible();
    await screenshots(page, testInfo, 'feed-last-page-en');
    await context.close();
  });

  test('a member reads the feed in Chinese, in the zone of their account', async ({
    browser,
  }, testInfo) => {
    const member = await signUpMember('BR');
    const me = await api<{ timezone: string }>('GET', '/v1/me', member.token);
    // The browser says another zone: the account's wins, as the API reads it.
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: me.timezone === 'Asia/Tokyo' ? 'Europe/Lisbon' : 'Asia/Tokyo',
    });
    const page = await context.newPage();
    await signInThroughPage(page, member, { email: '电子邮箱', password: '密码', submit: '登录' });
    const before = isFridayIn(me.timezone);
    await page.goto('/feed');
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('社区动态');
    await expect(page.locator('.feed-mode')).toContainText(me.timezone);
    await expectModeOf(page, me.timezone, before, LABEL.zh);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'feed-zh');
    await context.close();
  });

  test('on a Friday somewhere, a visitor there gets the random order, each note once', async ({
    browser,
  }, testInfo) => {
    const zone = ZONES.find((candidate) => isFridayIn(candidate));
    test.skip(zone === undefined, 'it is Friday in none of the zones now (real clock)');
    const created = await writeNotes();
    const context = await browser.newContext({ locale: 'en-US', timezoneId: zone });
    const page = await context.newPage();
    const before = isFridayIn(zone!);
    await page.goto('/feed');
    await hydrated(page);
    await expect(page.locator('.feed-mode')).toContainText(zone!);
    await expectModeOf(page, zone!, before, LABEL.en);
    await screenshots(page, testInfo, 'feed-friday-en');
    const pages = await readAllPages(page, 'More notes');
    expectEachOnce(pages, created);
    await context.close();
  });
});
