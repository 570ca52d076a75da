import { expect, test } from '@playwright/test';
import { api, signInThroughPage } from './support/account-api';
import { signUpMember } from './support/api';
import { expectAccessible, hydrated, screenshots } from './support/pages';

interface ChallengeList {
  data: { id: string; title: string }[];
}

/** The demo challenge of Uji Tea House (src/demo/community-seed.ts). */
async function demoChallengeId(): Promise<string> {
  const list = await api<ChallengeList>('GET', '/v1/campaigns/challenges');
  return list.data.find((c) => c.title === 'Your tea ritual, in your language')!.id;
}

test.describe('a challenge in English', () => {
  // The machine running the suite is shared: axe on a full page can take a while.
  test.describe.configure({ timeout: 150_000 });
  test.use({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });

  test('a member takes part from the challenge page and sees the entries', async ({
    page,
  }, testInfo) => {
    const id = await demoChallengeId();
    await page.goto('/challenges');
    await page.getByRole('link', { name: 'Your tea ritual, in your language' }).click();
    await expect(page).toHaveURL(`/challenges/${id}`);
    await expect(page.getByRole('link', { name: 'Chimarrão com a avó' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign in to take part' })).toBeVisible();
    await expectAccessible(page);

    const member = await signUpMember('PT');
    await signInThroughPage(page, member);
    await page.goto(`/challenges/${id}`);
    await hydrated(page);
    const before = await api<{ participantCount: number }>('GET', `/v1/campaigns/challenges/${id}`);
    await page.getByRole('button', { name: 'Take part' }).click();
    await expect(page.getByRole('status').first()).toContainText(
      'You are taking part. Publish a note tagged #tea-ritual',
    );
    await expect(page.getByRole('link', { name: 'Write an entry' })).toBeVisible();
    await expect(page.getByText(`${before.participantCount + 1} of 20 seats taken`)).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'challenge-joined-en');
  });
});

test.describe('challenges in 简体中文', () => {
  // The machine running the suite is shared: axe on a full page can take a while.
  test.describe.configure({ timeout: 150_000 });
  test.use({ locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });

  test('the list and a challenge read in Chinese', async ({ page }, testInfo) => {
    await page.goto('/challenges');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('写作挑战');
    await expectAccessible(page);
    await screenshots(page, testInfo, 'challenges-zh');
    await page.goto(`/challenges/${await demoChallengeId()}`);
    await expect(page.getByText('登录后参加')).toBeVisible();
    await expectAccessible(page);
    await screenshots(page, testInfo, 'challenge-zh');
  });
});
