import { expect, test, type Locator, type Page } from '@playwright/test';
import { api } from './support/account-api';
import { createDrop, DEMO_BRAND, signIn } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

interface Drop {
  id: string;
  title: string;
  status: string;
  startsAt: string;
  endsAt: string;
}

/** The drop's card in the list, found by its link. */
function cardOf(page: Page, drop: Drop): Locator {
  return page.locator('.drop-list li').filter({ has: page.locator(`a[href="/drops/${drop.id}"]`) });
}

/** What a countdown shows: its machine-readable `PT…S` and its text, read at one instant. */
async function reading(timer: Locator): Promise<{ seconds: number; text: string }> {
  const { duration, text } = await timer.evaluate((element) => ({
    duration: element.getAttribute('datetime') ?? '',
    text: element.textContent ?? '',
  }));
  const match = /^PT(\d+)S$/.exec(duration);
  if (!match) throw new Error(`not a countdown duration: ${duration}`);
  return { seconds: Number(match[1]), text: text.trim() };
}

/** H:MM:SS past an hour, MM:SS under one: what the list writes for that many seconds. */
function clockText(seconds: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const mmss = `${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  return seconds >= 3600 ? `${Math.floor(seconds / 3600)}:${mmss}` : mmss;
}

/**
 * A countdown that agrees with its own datetime, lies within [min, max] s, and ticks down.
 * Text and datetime are compared from one reading: a tick between two reads would otherwise
 * ask for a text the countdown has already left behind.
 */
async function expectTicking(timer: Locator, min: number, max: number): Promise<void> {
  const first = await reading(timer);
  expect(first.seconds).toBeGreaterThanOrEqual(min);
  expect(first.seconds).toBeLessThanOrEqual(max);
  let later = first;
  await expect
    .poll(async () => {
      later = await reading(timer);
      return later.seconds;
    })
    .toBeLessThan(first.seconds);
  expect(later.text).toBe(clockText(later.seconds));
}

test.describe('the drops list in Japanese', () => {
  test.use({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });

  test('a live drop counts down to its end, a coming one to its opening, each with the time', async ({
    page,
  }, testInfo) => {
    const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
    const coming = await createDrop(brandToken, 2 * 3600 * 1000);
    const opening = await createDrop(brandToken, 2000);
    const byId = (id: string) => api<Drop>('GET', `/v1/campaigns/drops/${id}`);
    // Opened by the service's own job, a couple of seconds after its start.
    await expect
      .poll(async () => (await byId(opening.id)).status, { timeout: 30_000 })
      .toBe('live');
    const live = await byId(opening.id);
    const scheduled = await byId(coming.id);

    await page.goto('/drops');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('謎解きドロップ');
    await hydrated(page);

    const liveCard = cardOf(page, live);
    await expect(liveCard.getByRole('link')).toHaveText(live.title);
    await expect(liveCard.locator('.badge')).toHaveText('開催中');
    await expect(liveCard.locator('.timing')).toContainText('終了まで');
    // Ends an hour after it opened: under an hour left, and its end written as a time.
    await expectTicking(liveCard.getByRole('timer'), 3000, 3600);
    await expect(liveCard.locator('time:not([role])')).toHaveAttribute('datetime', live.endsAt);
    await expect(liveCard.locator('time:not([role])')).toHaveText(
      new Intl.DateTimeFormat('ja', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone: 'Asia/Tokyo',
        timeZoneName: 'short',
      }).format(new Date(live.endsAt)),
    );

    const comingCard = cardOf(page, scheduled);
    await expect(comingCard.locator('.badge')).toHaveText('開催予定');
    await expect(comingCard.locator('.timing')).toContainText('開始まで');
    // Opens two hours from when it was made: a little under 2:00:00 left.
    await expectTicking(comingCard.getByRole('timer'), 2 * 3600 - 300, 2 * 3600);
    await expect(comingCard.getByRole('timer')).toHaveText(/^1:5\d:\d\d$/);
    await expect(comingCard.locator('time:not([role])')).toHaveAttribute(
      'datetime',
      scheduled.startsAt,
    );
    await expectAccessible(page);
    await screenshots(page, testInfo, 'drops-list-ja');
  });
});

test.describe('the drops list in English', () => {
  test.use({ locale: 'en-US', timezoneId: 'America/Sao_Paulo' });

  test('says when a coming drop opens, in the viewer’s zone', async ({ page }, testInfo) => {
    const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
    const coming = await api<Drop>(
      'GET',
      `/v1/campaigns/drops/${(await createDrop(brandToken, 3 * 3600 * 1000)).id}`,
    );
    await page.goto('/drops');
    await hydrated(page);
    const card = cardOf(page, coming);
    await expect(card.locator('.badge')).toHaveText('Coming up');
    await expect(card.locator('.timing')).toContainText('Opens in');
    await expectTicking(card.getByRole('timer'), 3 * 3600 - 300, 3 * 3600);
    await expect(card.locator('time:not([role])')).toHaveText(/GMT-3$/);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'drops-list-en');
  });
});
