import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { serviceOpenApiDocument } from './openapi-document';

const ROOT = resolve(__dirname, '..');

/**
 * Redocly's linter over an OpenAPI document, with the rules of redocly.yaml (its recommended
 * set; a missing or repeated operationId is an error). Answers its exit status: 0 is no error.
 */
export function lintOpenApi(
  document: object,
  output: 'inherit' | 'pipe' = 'inherit',
): { status: number; report: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cyberstall-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const cli = join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
    const run = spawnSync(
      process.execPath,
      [cli, 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'codeframe'],
      {
        stdio: output,
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    return { status: run.status ?? 1, report: `${run.stdout ?? ''}${run.stderr ?? ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run lint:openapi`: the service's own /openapi.json, built without a database or Redis. */
async function main(): Promise<void> {
  const { status } = lintOpenApi(await serviceOpenApiDocument());
  process.exit(status);
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
