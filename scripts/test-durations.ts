import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs the jest suites and records how long each file took, in milliseconds, in
 * test/support/test-durations.json: the order a run starts them in when jest has no cache of
 * its own (test/support/sequencer.js). Extra arguments go to jest.
 */
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'test', 'support', 'test-durations.json');
const results = path.join(os.tmpdir(), `cyberstall-test-durations-${process.pid}.json`);

interface JestResults {
  success: boolean;
  testResults: Array<{ name: string; startTime: number; endTime: number }>;
}

const run = spawnSync(
  process.execPath,
  [
    path.join(ROOT, 'node_modules', '.bin', 'jest'),
    '--json',
    `--outputFile=${results}`,
    ...process.argv.slice(2),
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
try {
  const report = JSON.parse(readFileSync(results, 'utf8')) as JestResults;
  if (!report.success || run.status !== 0) {
    process.stderr.write('jest failed: durations not written\n');
    process.exit(1);
  }
  const durations = Object.fromEntries(
    report.testResults
      .map((file) => [path.relative(ROOT, file.name), file.endTime - file.startTime] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(OUT, `${JSON.stringify(durations, null, 2)}\n`);
  process.stdout.write(
    `${Object.keys(durations).length} files written to ${path.relative(ROOT, OUT)}\n`,
  );
} finally {
  rmSync(results, { force: true });
}
