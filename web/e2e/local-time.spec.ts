import { expect, test } from '@playwright/test';
import { hydrated } from './support/pages';

test.describe('times on a listing page', () => {
  // The server has no zone for a visitor without an account or tz cookie: it writes UTC.
  test.use({ timezoneId: 'Asia/Tokyo', locale: 'en-US' });

  test('the server writes the time, hydration keeps it, and it moves to the browser’s zone', async ({
    page,
    request,
  }) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto('/?q=matcha');
    const listingUrl = await page
      .getByRole('link', { name: /matcha bowl/ })
      .first()
      .getAttribute('href');
    const html = await (await request.get(listingUrl!)).text();
    const served = /<time dateTime="([^"]+)"[^>]*>([^<]+)<\/time>/.exec(html);
    expect(served?.[2]).toMatch(/UTC/);

    // Every text a <time> shows from the first byte on: hydration must never blank one.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { timeTexts: string[] }).timeTexts = seen;
      new MutationObserver(() => {
        for (const time of document.querySelectorAll('time')) seen.push(time.textContent ?? '');
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(listingUrl!);
    const listed = page.locator(`time[datetime="${served![1]}"]`).first();
    await hydrated(page);
    // Written in the browser's own zone once hydrated, never left empty.
    await expect(listed).toHaveText(/GMT\+9/);
    const texts = await page.evaluate(
      () => (window as unknown as { timeTexts: string[] }).timeTexts,
    );
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((text) => text.trim() === '')).toEqual([]);
    expect(errors.filter((text) => /hydrat|did not match/i.test(text))).toEqual([]);
  });
});
