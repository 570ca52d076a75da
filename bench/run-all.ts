/**
 * `npm run bench`: every bench in sequence, each in its own process (each rewrites its own
 * section of bench/RESULTS.md), then a summary at the top with the machine, the date and each
 * bench's headline ratio against its goal. Set SOAK_SECONDS to shorten the soak.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isSection, machineLine, RESULTS, ROOT, sectionsOf } from './support';

const BENCHES: Array<{
  script: string;
  section: string;
  goal: string;
  env?: Record<string, string>;
}> = [
  {
    script: 'listings-browse.ts',
    section: 'listings browse (GET /v1/listings, 100k listings)',
    goal: 'p99 ≤ 30 ms, every query shape',
  },
  {
    script: 'listings-browse.ts',
    section: 'listings browse (GET /v1/listings, 1M listings)',
    goal: 'p99 ≤ 30 ms, every query shape',
    env: { BENCH_LISTINGS: '1000000' },
  },
  {
    script: 'feed.ts',
    section: 'community feed (GET /v1/feed, 100k notes)',
    goal: 'Friday p99 near GET /v1/notes p99',
  },
  {
    script: 'checkout.ts',
    section: 'checkout (POST /v1/orders)',
    goal: 'ratio ≥ 0.5, p99 < 100 ms',
  },
  {
    script: 'checkout.ts',
    section: 'checkout (POST /v1/orders), MySQL over its Unix socket',
    goal: 'ratio ≥ 0.5, p99 < 100 ms',
    env: { BENCH_MYSQL_SOCKET: '/run/mysqld/mysqld.sock' },
  },
  {
    script: 'drop-burst.ts',
    section: 'drop burst (POST /v1/campaigns/drops/:id/attempts)',
    goal: 'no oversell (the goals are for API_PROCESSES=2)',
  },
  {
    script: 'drop-burst.ts',
    section: 'drop burst (POST /v1/campaigns/drops/:id/attempts), API_PROCESSES=2',
    goal: 'ratio ≥ 0.35, p99 ≤ 2× raw p99, no oversell, RSS < 200 MB per process',
    env: { API_PROCESSES: '2' },
  },
  {
    script: 'airdrop.ts',
    section: 'airdrop (points -> coupons, 100k members)',
    goal: 'ratio ≥ 0.3',
  },
  {
    script: 'export.ts',
    section: 'finance export (GET /v1/finance/orders.csv)',
    goal: 'ratio ≥ 0.6, peak RSS ≤ 150 MB',
  },
  {
    script: 'media-upload.ts',
    section: 'media uploads (POST /v1/media) beside GET /v1/listings',
    goal: 'browse p99 ratio < 2, no errors',
  },
  {
    script: 'web-pages.ts',
    section: 'web pages (SSR listing page vs API, Lighthouse)',
    goal: 'page < 5× the API call',
  },
  {
    script: 'soak.ts',
    section: 'soak (mixed traffic at half capacity)',
    goal: 'memory and lag flat',
  },
];

function headline(text: string, section: string): string {
  // A section's own figures, not those of the dated subsections (###) kept under it.
  const body = (sectionsOf(text).find((s) => isSection(s, section)) ?? '').split('\n### ')[0]!;
  const bold = [...body.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]);
  return bold.length > 0 ? bold.join(' / ') : 'see its section';
}

function main(): void {
  const failed = new Set<(typeof BENCHES)[number]>();
  for (const bench of BENCHES) {
    process.stdout.write(`\n=== ${bench.script}\n`);
    try {
      execFileSync(process.execPath, ['--import', 'tsx', path.join('bench', bench.script)], {
        cwd: ROOT,
        stdio: 'inherit',
        env: { ...process.env, ...bench.env },
      });
    } catch {
      failed.add(bench);
    }
  }
  const text = readFileSync(RESULTS, 'utf8');
  const rows = BENCHES.map(
    (b) =>
      `| ${b.section} | ${failed.has(b) ? 'FAILED to run' : headline(text, b.section)} | ${b.goal} |`,
  );
  const summary = [
    '## Summary (npm run bench)',
    '',
    `${machineLine()}.`,
    '',
    '| bench | headline figures | goal |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
  const sections = sectionsOf(text).filter((s) => !isSection(s, 'Summary (npm run bench)'));
  sections.splice(1, 0, summary);
  writeFileSync(RESULTS, `${sections.map((s) => s.trimEnd()).join('\n\n')}\n`);
  process.stdout.write(`\n${summary}\n`);
  if (failed.size > 0) process.exit(1);
}

main();
