import { expect, test, type Page } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import {
  answerDrop,
  createDrop,
  DEMO_BRAND,
  signIn,
  signUpMember,
  waitUntilLive,
} from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

/** The drop page shows what is true before anyone answers: sold out, attempts left, hints. */

const JAPANESE = { email: 'メールアドレス', password: 'パスワード', submit: 'ログイン' };

/** The second hint's delay after the drop opens: time to sign in and load the page first. */
const SECOND_HINT_AFTER_S = 60;
/** Time the checks that the second hint is still hidden may take before it unlocks. */
const ABSENCE_CHECK_MS = 15_000;
/** After the unlock: the page's grace second, asking for the drop again, and drawing it. */
const AFTER_UNLOCK_MS = 30_000;

async function openDrop(page: Page, dropId: string): Promise<void> {
  await page.goto(`/drops/${dropId}`);
  await hydrated(page);
}

test.describe('in English', () => {
  test.use({ locale: 'en-US', timezoneId: 'America/New_York' });

  test('a drop whose last unit another member won shows sold out on arrival, with no answer form', async ({
    page,
  }, testInfo) => {
    const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
    const drop = await createDrop(brandToken, 1500, { stock: 1 });
    const [winner, visitor] = await Promise.all([signUpMember('US'), signUpMember('US')]);
    await waitUntilLive(drop.id);
    expect((await answerDrop(winner.token, drop.id, 'Mount Fuji')).correct).toBe(true);

    await signInThroughPage(page, visitor);
    await openDrop(page, drop.id);
    await expect(page.locator('.badges').getByText('Sold out', { exact: true })).toBeVisible();
    await expect(
      page.getByText(
        'Sold out: every unit has been claimed. A unit comes back if a winner does not buy in time.',
      ),
    ).toBeVisible();
    await expect(page.getByLabel('Your answer')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Answer' })).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'drop-sold-out-en');

    await page.goto('/drops');
    const card = page.locator('.drop-list li', {
      has: page.locator(`a[href="/drops/${drop.id}"]`),
    });
    await expect(card.getByText('Sold out', { exact: true })).toBeVisible();
  });

  test('a hint that unlocks while the page is open appears without a reload', async ({
    page,
  }, testInfo) => {
    // The second hint unlocks a minute after the drop opens, and the test waits for it.
    test.setTimeout(150_000);
    const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
    const member = await signUpMember('US');
    await signInThroughPage(page, member);
    // Opens in 4 s; its second hint unlocks 60 s later, while the page stays open.
    const drop = await createDrop(brandToken, 4000, {
      puzzle: {
        question: { en: 'Which mountain is on the back of the 1000-yen note?' },
        answers: ['Mount Fuji'],
        hints: [
          { afterHours: 0, text: { en: 'Seen from Lake Motosu.' } },
          { afterHours: SECOND_HINT_AFTER_S / 3600, text: { en: 'It last erupted in 1707.' } },
        ],
      },
    });
    await openDrop(page, drop.id);
    await page.evaluate(() => document.documentElement.setAttribute('data-stayed', 'yes'));

    await expect(page.getByText('Seen from Lake Motosu.')).toBeVisible({ timeout: 20_000 });
    // The page shows the first hint, so the drop is live: the API now names the second's time.
    const { nextHintAt } = await api<{ nextHintAt: string | null }>(
      'GET',
      `/v1/campaigns/drops/${drop.id}`,
    );
    if (!nextHintAt) throw new Error('a live drop with a hint still hidden names no nextHintAt');
    const unlocksAt = Date.parse(nextHintAt);
    const left = unlocksAt - Date.now();
    if (left < ABSENCE_CHECK_MS) {
      throw new Error(
        `too slow to check the second hint is still hidden: it unlocks in ${left} ms, ` +
          `and the checks need ${ABSENCE_CHECK_MS} ms (the machine is overloaded)`,
      );
    }
    await expect(page.getByText('It last erupted in 1707.')).toHaveCount(0);
    await expect(page.getByText('Next hint in')).toBeVisible();
    await expect(page.getByText('You have 10 attempts left.')).toBeVisible();
    expect(Date.now(), 'the hidden-hint checks ran past the unlock time').toBeLessThan(unlocksAt);

    await expect(page.getByText('It last erupted in 1707.')).toBeVisible({
      timeout: Math.max(0, unlocksAt - Date.now()) + AFTER_UNLOCK_MS,
    });
    await expect(page.getByText('Next hint in')).toHaveCount(0);
    // The same document: the page asked for the drop again, it was not reloaded.
    await expect(page.locator('html')).toHaveAttribute('data-stayed', 'yes');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'drop-hints-en');
  });
});

test.describe('in Japanese', () => {
  test.use({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });

  test('a returning member sees the attempts they have left, then the unit they won with its countdown and buy link', async ({
    page,
  }, testInfo) => {
    const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
    const drop = await createDrop(brandToken, 1500);
    const member = await signUpMember('JP');
    await waitUntilLive(drop.id);
    for (let i = 0; i < 7; i++) await answerDrop(member.token, drop.id, `東京タワー ${i}`);

    await signInThroughPage(page, member, JAPANESE);
    await openDrop(page, drop.id);
    await expect(page.getByText('あと 3 回回答できます。')).toBeVisible();
    await page.getByLabel('答え').fill('スカイツリー');
    await page.getByRole('button', { name: '回答する' }).click();
    await expect(page.getByRole('alert')).toHaveText('残念、不正解です。残り 2 回。');
    await expect(page.getByText('あと 2 回回答できます。')).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'drop-attempts-left-ja');

    // Solved on another device; back on this page later, the unit is still theirs to buy.
    const won = await answerDrop(member.token, drop.id, '富士山');
    expect(won.correct).toBe(true);
    await openDrop(page, drop.id);
    const held = page.getByRole('status').filter({ hasText: 'この謎は解答済みです' });
    await expect(held.getByRole('timer')).toHaveText(/^(10:00|09:\d\d)$/);
    await expect(page.getByLabel('答え')).toHaveCount(0);
    await expect(page.getByText('1 人あたりの上限に達しています。')).toHaveCount(0);
    await expectAccessible(page);
    await screenshots(page, testInfo, 'drop-reservation-ja');

    const purchase = new URL(won.reservation!.purchaseUrl);
    await held.getByRole('link', { name: '今すぐ購入' }).click();
    await page.waitForURL(
      (url) => url.pathname + url.search === purchase.pathname + purchase.search,
    );
    await expect(page.getByRole('button', { name: '注文する' })).toBeVisible();
  });
});

test.describe('in Portuguese', () => {
  test.use({ locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });

  test("a riddle not written in the viewer's language is shown in another, and says so", async ({
    page,
  }, testInfo) => {
    const brandToken = await signIn(DEMO_BRAND.email, DEMO_BRAND.password);
    const drop = await createDrop(brandToken, 1500, {
      puzzle: {
        question: {
          ja: '千円札の裏に描かれている山は？',
          en: 'Which mountain is on the back of the 1000-yen note?',
        },
        answers: ['Mount Fuji'],
        hints: [{ afterHours: 0, text: { ja: '本栖湖から見えます。' } }],
      },
    });
    await waitUntilLive(drop.id);
    await openDrop(page, drop.id);
    // English before any other language the brand wrote; the hint has only Japanese.
    const question = page.locator('blockquote.question');
    await expect(question).toHaveText('Which mountain is on the back of the 1000-yen note?');
    await expect(question).toHaveAttribute('lang', 'en');
    await expect(
      page.getByText('Este enigma não está no seu idioma; ele aparece em outro.'),
    ).toBeVisible();
    await expect(page.locator('li[lang="ja"]', { hasText: '本栖湖から見えます。' })).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'drop-question-fallback-pt');
  });
});
