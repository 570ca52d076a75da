/**
 * The web app's pages: a server-rendered listing page against `GET /v1/listings/:id` (the API
 * call its loader makes) at 32 connections in the same run, then Lighthouse 12.2.3 with the
 * local Chromium on the storefront, a listing page and the drop page. Writes the figures to
 * bench/RESULTS.md.
 *
 *   npm run bench:web           (BENCH_SECONDS=10, LIGHTHOUSE_RUNS=3 by default)
 *
 * Lighthouse's simulated throttling multiplies the CPU time it observes, so on a busy machine
 * one run says little: each page is measured LIGHTHOUSE_RUNS times and the run with the median
 * performance score is reported. Hand-written dated notes at the end of the section (`### `
 * headings) are kept when the section is rewritten.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import {
  dropBenchData,
  isSection,
  machineLine,
  RESULTS,
  runBench,
  runLoad,
  sectionsOf,
  startServer,
  stopServer,
  summarise,
  type LoadResult,
  writeSection,
} from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LIGHTHOUSE_RUNS = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));
const TITLE = 'web pages (SSR listing page vs API, Lighthouse)';
const CONNECTIONS = 32;
const PORT = 3995;
const name = `cs_bench_web_${Date.now()}`;
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

interface PageScore {
  label: string;
  performance: number;
  accessibility: number;
  lcpMs: number;
  jsKb: number;
  errored: string[];
}

interface LighthouseAudit {
  id: string;
  scoreDisplayMode: string;
  details?: { items?: Array<Record<string, unknown>> };
}

async function lighthouseOf(url: string, label: string, port: number): Promise<PageScore> {
  const { default: lighthouse } = await import('lighthouse');
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility'],
  });
  if (!result) throw new Error(`lighthouse gave nothing for ${url}`);
  const { lhr } = result;
  const audits = lhr.audits as unknown as Record<string, LighthouseAudit>;
  // LCP from the `metrics` audit: the per-element audits error with Chromium 156 (WEB-NOTES 10).
  const metrics = audits.metrics?.details?.items?.[0] as
    { largestContentfulPaint?: number } | undefined;
  const scripts = (audits['network-requests']?.details?.items ?? []).filter(
    (item) => item.resourceType === 'Script',
  );
  const jsBytes = scripts.reduce((sum, item) => sum + Number(item.transferSize ?? 0), 0);
  return {
    label,
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    lcpMs: metrics?.largestContentfulPaint ?? NaN,
    jsKb: jsBytes / 1024,
    errored: Object.values(audits)
      .filter((audit) => audit.scoreDisplayMode === 'error')
      .map((audit) => audit.id),
  };
}

/** The run with the median performance score of LIGHTHOUSE_RUNS runs. */
async function medianOf(url: string, label: string, port: number): Promise<PageScore> {
  const runs: PageScore[] = [];
  for (let run = 0; run < LIGHTHOUSE_RUNS; run += 1)
    runs.push(await lighthouseOf(url, label, port));
  runs.sort((a, b) => a.performance - b.performance);
  const median = runs[Math.floor(runs.length / 2)] as PageScore;
  return { ...median, errored: [...new Set(runs.flatMap((run) => run.errored))] };
}

/** The `### ` notes written by hand at the end of this bench's section, kept on a rewrite. */
function handWrittenNotes(): string {
  if (!existsSync(RESULTS)) return '';
  const section = sectionsOf(readFileSync(RESULTS, 'utf8')).find((s) => isSection(s, TITLE));
  const start = section?.indexOf('\n### ') ?? -1;
  return section && start >= 0 ? section.slice(start).trim() : '';
}

async function firstId(path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${PORT}${path}`);
  const body = (await response.json()) as { data: Array<{ id: string }> };
  const id = body.data[0]?.id;
  if (!id) throw new Error(`nothing at ${path}`);
  return id;
}

async function main(): Promise<void> {
  const server = await startServer(
    { DATABASE_URL, REDIS_PREFIX: name, DEMO_SEED: 'true', DB_POOL_MAX: String(CONNECTIONS) },
    PORT,
  );
  let api: LoadResult;
  let page: LoadResult;
  const scores: PageScore[] = [];
  try {
    const listingId = await firstId('/v1/listings?limit=1');
    const dropId = await firstId('/v1/campaigns/drops?limit=1');
    const apiUrl = `http://127.0.0.1:${PORT}/v1/listings/${listingId}`;
    const pageUrl = `http://127.0.0.1:${PORT}/listings/${listingId}`;
    // Warm both paths (JIT, pools) before measuring.
    await runLoad({ url: pageUrl, connections: 8, duration: 2 });
    await runLoad({ url: apiUrl, connections: 8, duration: 2 });
    api = summarise(await runLoad({ url: apiUrl, connections: CONNECTIONS, duration: SECONDS }));
    page = summarise(
      await runLoad({
        url: pageUrl,
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { 'accept-encoding': 'gzip, br', 'accept-language': 'en' },
      }),
    );

    const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
    try {
      for (const [label, path] of [
        ['storefront `/`', '/'],
        ['listing `/listings/:id`', `/listings/${listingId}`],
        ['drop `/drops/:id`', `/drops/${dropId}`],
      ] as const)
        scores.push(await medianOf(`http://127.0.0.1:${PORT}${path}`, label, chrome.port));
    } finally {
      chrome.kill();
    }
  } finally {
    await stopServer(server);
    await dropBenchData(name, DATABASE_URL);
  }

  const ratio = api.requestsPerSecond / page.requestsPerSecond;
  const errored = [...new Set(scores.flatMap((score) => score.errored))].sort();
  const body = [
    `${machineLine()}; demo seed, ${CONNECTIONS} connections, ${SECONDS} s per run; one service process (API, web and workers, as \`npm start\`).`,
    '',
    '| request | requests/s | p50 ms | p99 ms | non-2xx |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...(
      [
        ['`GET /v1/listings/:id`', api],
        ['`GET /listings/:id` (page, SSR)', page],
      ] as const
    ).map(
      ([label, r]) =>
        `| ${label} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.non2xx} |`,
    ),
    '',
    `The page takes **${ratio.toFixed(1)}×** the time of the API call (requests/s ratio; goal < 5×).`,
    '',
    `Lighthouse 12.2.3, Debian Chromium, headless, default (mobile, throttled) settings; the median of ${LIGHTHOUSE_RUNS} runs per page (by performance score):`,
    '',
    '| page | performance | accessibility | LCP ms | JS transferred KB |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...scores.map(
      (s) =>
        `| ${s.label} | ${s.performance} | ${s.accessibility} | ${s.lcpMs.toFixed(0)} | ${s.jsKb.toFixed(1)} |`,
    ),
    '',
    `Audits that errored (Lighthouse's trace parser is older than Chromium): ${errored.length > 0 ? errored.map((id) => `\`${id}\``).join(', ') : 'none'}.`,
    '',
    'Goals: page < 5× the API call; performance ≥ 95, accessibility 100; storefront JS ≤ 150 KB compressed.',
    '',
    handWrittenNotes(),
  ].join('\n');
  writeSection(TITLE, body);
  process.stdout.write(`${body}\n`);
}

runBench(main);
