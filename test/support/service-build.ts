import {
  cpSync,
  existsSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { testRunTag } from './test-env';

/*
 * The e2e tests start the service some thirty times a run. Under tsx each start compiles the
 * TypeScript again (about 1.5 s of CPU on top of the 1.2 s a compiled start costs), so
 * global-setup compiles src/, jobs/ and campaigns/ once per run, file by file as
 * `npm run build` does into dist/, and the processes run that JavaScript, as they ship.
 */

const ROOT = path.resolve(__dirname, '../..');
const SOURCES = ['src', 'jobs', 'campaigns'];
const PREFIX = 'cyberstall-test-service-';
const COMPILE_CACHE_PRELOAD = 'compile-cache.js';

/** Where this run's compiled service is (the run tag keeps side-by-side runs apart). */
function buildDir(): string {
  return path.join(os.tmpdir(), `${PREFIX}${testRunTag()}`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => statSync(path.join(ROOT, file)).isFile());
}

/** Compiles the service into this run's folder; files that are not TypeScript (Lua) are copied. */
export function buildService(): void {
  const out = buildDir();
  rmSync(out, { recursive: true, force: true });
  const files = SOURCES.flatMap(filesUnder);
  buildSync({
    absWorkingDir: ROOT,
    entryPoints: files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')),
    outbase: '.',
    outdir: out,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    // As tsc's CommonJS output (npm run build) does: import() becomes require().
    supported: { 'dynamic-import': false },
    sourcemap: true,
    logLevel: 'error',
  });
  for (const file of files.filter((f) => !f.endsWith('.ts')))
    cpSync(path.join(ROOT, file), path.join(out, file));
  // Packages resolve from the compiled files as from the sources.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  // Loaded before each process's entry: V8 keeps the code it compiled for the next start.
  writeFileSync(
    path.join(out, COMPILE_CACHE_PRELOAD),
    `require('node:module').enableCompileCache(${JSON.stringify(path.join(out, '.compile-cache'))});\n`,
  );
}

export function removeServiceBuild(): void {
  rmSync(buildDir(), { recursive: true, force: true });
}

/** Removes the builds of runs killed before their teardown, `olderThanMs` ago or more. */
export function removeStaleServiceBuilds(olderThanMs: number): void {
  for (const name of readdirSync(os.tmpdir())) {
    const dir = path.join(os.tmpdir(), name);
    if (name.startsWith(PREFIX) && Date.now() - statSync(dir).mtimeMs > olderThanMs)
      rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The node arguments that run `entry` (`src/server.ts`, `src/cli.ts`) from this run's build,
 * with source-mapped stack traces and the run's compile cache; under tsx when there is no build (a caller without
 * global-setup).
 */
export function serviceCommand(entry: string): string[] {
  const compiled = path.join(buildDir(), entry.replace(/\.ts$/, '.js'));
  return existsSync(compiled)
    ? ['--enable-source-maps', '--require', path.join(buildDir(), COMPILE_CACHE_PRELOAD), compiled]
    : ['--import', 'tsx', path.join(ROOT, entry)];
}
