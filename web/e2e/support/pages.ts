import AxeBuilder from '@axe-core/playwright';
import { errors, expect, type Page, type TestInfo } from '@playwright/test';

/** axe on the page as it is now: no serious or critical violation, listed by rule if any. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
  expect(blocking, 'serious or critical accessibility violations').toEqual([]);
}

export const PHONE = { width: 390, height: 844 };

/** Full-page screenshots, desktop and phone, kept with the test's results (ignored by git). */
export async function screenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await fullPageShot(page, testInfo.outputPath(`${name}-desktop.png`));
  const desktop = page.viewportSize();
  await page.setViewportSize(PHONE);
  await fullPageShot(page, testInfo.outputPath(`${name}-phone.png`));
  if (desktop) await page.setViewportSize(desktop);
}

/**
 * Chromium's full-page capture can stall on a page that keeps laying itself out (the console's
 * live stats at phone size did, its polling running all along): a capture that has not come in
 * 30 s is asked for once more.
 */
async function fullPageShot(page: Page, path: string): Promise<void> {
  try {
    await page.screenshot({ path, fullPage: true, timeout: 30_000 });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    await page.screenshot({ path, fullPage: true, timeout: 30_000 });
  }
}

/** Waits until React has hydrated the page, so clicks and selects are handled by the app. */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' });
}
