import { defineConfig, devices } from '@playwright/test';
import { WEB_TEST } from './e2e/support/service';

/**
 * Browser tests: Debian's Chromium (never a downloaded browser) against the real service,
 * started by global-setup as `npm start` starts it, on its own database, Redis prefix and port.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results/web',
  globalSetup: './e2e/support/global-setup.ts',
  globalTeardown: './e2e/support/global-teardown.ts',
  // A journey here signs up, renders, checks with axe and photographs several pages: 20-31 s on
  // this host beside the other worker, so 30 s failed runs that were only slow.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: WEB_TEST.url,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
});
