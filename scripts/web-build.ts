import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * `npm run build:web` builds web/ (react-router build) and writes brotli and gzip copies of its
 * assets; `--if-stale` (run by `npm start`) builds only when the build is missing or older
 * than a source file, so a fresh clone's `npm install && npm start` serves pages.
 */
const ROOT = resolve(__dirname, '..');
const WEB = join(ROOT, 'web');
const SERVER_ENTRY = join(WEB, 'build', 'server', 'index.js');
const SOURCES = [
  join(WEB, 'app'),
  join(WEB, 'public'),
  join(WEB, 'vite.config.ts'),
  join(WEB, 'react-router.config.ts'),
  join(ROOT, 'package-lock.json'),
];

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestChange(join(path, name))),
    stat.mtimeMs,
  );
}

function isStale(): boolean {
  if (!existsSync(SERVER_ENTRY)) return true;
  const built = statSync(SERVER_ENTRY).mtimeMs;
  return SOURCES.some((source) => newestChange(source) > built);
}

function precompress(dir: string): number {
  let count = 0;
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css|svg|json)$/.test(name)) continue;
    const body = readFileSync(join(dir, name));
    writeFileSync(
      join(dir, `${name}.br`),
      brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    );
    writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
    count += 1;
  }
  return count;
}

function build(): void {
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'react-router'), ['build', WEB], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    process.stderr.write('web build failed\n');
    process.exit(result.status ?? 1);
  }
  const count = precompress(join(WEB, 'build', 'client', 'assets'));
  process.stdout.write(`web build: ${count} assets precompressed (br, gzip)\n`);
}

if (process.argv.includes('--if-stale') && !isStale()) {
  process.stdout.write('web build is up to date\n');
} else {
  build();
}
