/**
 * The console's drop pages under Lighthouse 12.2.3 (local Chromium, signed in as a brand through
 * the sign-in form, its session cookie sent with every request): the drop form
 * (`/console/drops/new`) and the live stats page of a drop members have answered
 * (`/console/drops/:id`). Goal: accessibility 100. Writes the figures to bench/RESULTS.md.
 *
 *   node --import tsx bench/web-console.ts
 */
import { randomUUID } from 'node:crypto';
import * as chromeLauncher from 'chrome-launcher';
import {
  dropBenchData,
  machineLine,
  runBench,
  startServer,
  stopServer,
  writeSection,
} from './support';

const PORT = 3979;
const BASE = `http://127.0.0.1:${PORT}`;
const name = `cs_bench_console_${Date.now()}`;
const DATABASE_URL = `mysql://root@127.0.0.1:3306/${name}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PASSWORD = 'correct horse battery';

interface AccessibilityScore {
  label: string;
  accessibility: number;
  failing: string[];
  errored: string[];
}

interface LighthouseAudit {
  id: string;
  score: number | null;
  scoreDisplayMode: string;
  details?: { items?: Array<{ node?: { snippet?: string } }> };
}

async function call<T>(method: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function signUp(accountType: 'brand' | 'member'): Promise<{ email: string; token: string }> {
  const email = `bench-${randomUUID()}@example.test`;
  const { token } = await call<{ token: string }>('POST', '/v1/auth/signup', {
    email,
    password: PASSWORD,
    displayName: `Bench ${accountType}`,
    country: 'JP',
    timezone: 'Asia/Tokyo',
    accountType,
    ...(accountType === 'brand' ? { brandName: `Bench Brand ${email.slice(6, 12)}` } : {}),
  });
  return { email, token };
}

/** The session cookie the sign-in page sets (HttpOnly; the token is never in a page). */
async function sessionCookie(email: string): Promise<string> {
  const response = await fetch(`${BASE}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE },
    body: new URLSearchParams({ email, password: PASSWORD, next: '/console' }),
  });
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('cs_session='));
  if (!cookie) throw new Error(`sign-in set no session cookie (status ${response.status})`);
  return cookie.split(';')[0]!;
}

/** A drop of the brand, live, with a few answers so the stats page has figures and a chart. */
async function answeredDrop(brandToken: string): Promise<string> {
  const listing = await call<{ id: string }>(
    'POST',
    '/v1/listings',
    {
      title: 'Bench matcha tin',
      description: 'For the console bench.',
      priceAmount: 5400,
      currency: 'JPY',
      quantity: 10,
      category: 'tea',
      condition: 'new',
    },
    brandToken,
  );
  const drop = await call<{ id: string }>(
    'POST',
    '/v1/campaigns/drops',
    {
      title: 'Bench riddle',
      listingId: listing.id,
      stock: 5,
      startsAt: new Date(Date.now() + 2000).toISOString(),
      timezone: 'Asia/Tokyo',
      puzzle: {
        question: { en: 'Which mountain is on the 1000-yen note?', ja: '千円札の山は？' },
        answers: ['Mount Fuji'],
      },
    },
    brandToken,
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`${BASE}/v1/campaigns/drops/${drop.id}`);
    const { status } = (await response.json()) as { status: string };
    if (status === 'live') break;
    if (Date.now() > deadline) throw new Error('the bench drop did not go live');
    await new Promise((done) => setTimeout(done, 500));
  }
  for (const answer of ['Tokyo Tower', 'Mount Fuji']) {
    const member = await signUp('member');
    await call('POST', `/v1/campaigns/drops/${drop.id}/attempts`, { answer }, member.token);
  }
  return drop.id;
}

async function accessibilityOf(
  url: string,
  label: string,
  port: number,
  cookie: string,
): Promise<AccessibilityScore> {
  const { default: lighthouse } = await import('lighthouse');
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['accessibility'],
    extraHeaders: { Cookie: cookie, 'Accept-Language': 'en' },
  });
  if (!result) throw new Error(`lighthouse gave nothing for ${url}`);
  const { lhr } = result;
  const audits = Object.values(lhr.audits as unknown as Record<string, LighthouseAudit>);
  for (const audit of audits.filter((a) => a.scoreDisplayMode === 'binary' && a.score === 0))
    for (const item of audit.details?.items ?? [])
      process.stdout.write(`${label}: ${audit.id}: ${item.node?.snippet ?? '?'}\n`);
  return {
    label,
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    failing: audits
      .filter((audit) => audit.scoreDisplayMode === 'binary' && audit.score === 0)
      .map((audit) => audit.id),
    errored: audits.filter((audit) => audit.scoreDisplayMode === 'error').map((audit) => audit.id),
  };
}

async function main(): Promise<void> {
  const server = await startServer({ DATABASE_URL, REDIS_PREFIX: name, DEMO_SEED: 'false' }, PORT);
  const scores: AccessibilityScore[] = [];
  try {
    const brand = await signUp('brand');
    const dropId = await answeredDrop(brand.token);
    const cookie = await sessionCookie(brand.email);
    const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
    try {
      for (const [label, path] of [
        ['drop form `/console/drops/new`', '/console/drops/new'],
        ['drop stats `/console/drops/:id` (live, answered)', `/console/drops/${dropId}`],
      ] as const)
        scores.push(await accessibilityOf(`${BASE}${path}`, label, chrome.port, cookie));
    } finally {
      chrome.kill();
    }
  } finally {
    await stopServer(server);
    await dropBenchData(name, DATABASE_URL);
  }
  const errored = [...new Set(scores.flatMap((score) => score.errored))].sort();
  const body = [
    `${machineLine()}; one service process (API, web and workers, as \`npm start\`), signed in as a brand (session cookie).`,
    '',
    'Lighthouse 12.2.3, Debian Chromium, headless, accessibility category:',
    '',
    '| page | accessibility | failing audits |',
    '| --- | ---: | --- |',
    ...scores.map(
      (s) =>
        `| ${s.label} | ${s.accessibility} | ${s.failing.length > 0 ? s.failing.map((id) => `\`${id}\``).join(', ') : 'none'} |`,
    ),
    '',
    `Audits that errored: ${errored.length > 0 ? errored.map((id) => `\`${id}\``).join(', ') : 'none'}.`,
    '',
    'Goal: accessibility 100 on both pages.',
  ].join('\n');
  writeSection('web console (drop form and live stats, Lighthouse accessibility)', body);
  process.stdout.write(`${body}\n`);
}

runBench(main);
