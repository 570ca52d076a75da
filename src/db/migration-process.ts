import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { connectToServer, parseDatabaseUrl } from './database';

/** What the migration process answers its parent (src/db/migration-child.ts). */
export type MigrationAnswer = { applied: string[] } | { error: string };

const CHILD = path.join(__dirname, `migration-child${path.extname(__filename)}`);

/**
 * Whether a child process can run this code: compiled JavaScript, or TypeScript under the tsx
 * loader this process was started with (inherited through execArgv). Under ts-jest it cannot.
 */
function canFork(): boolean {
  return CHILD.endsWith('.js') || process.execArgv.some((arg) => arg.includes('tsx'));
}

/** The migrations this build ships: one file each in ./migrations, named as the migration. */
export function shippedMigrationNames(): string[] {
  return readdirSync(path.join(__dirname, 'migrations'))
    .map((file) => /^(\d{3}-[a-z0-9-]+)\.(?:ts|js)$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** MySQL's answers for a database or a table that is not there yet. */
const NOT_THERE = new Set(['ER_BAD_DB_ERROR', 'ER_NO_SUCH_TABLE']);

/**
 * Whether umzug's table records every shipped migration as applied: one query on the node the
 * migrations would run through, without loading Sequelize. A stale or failed read only means
 * the child process starts and finds nothing to do.
 */
async function isUpToDate(url: string): Promise<boolean> {
  const target = parseDatabaseUrl(url);
  const connection = await connectToServer(target);
  try {
    const [rows] = await connection.query<RowDataPacket[]>(
      `SELECT name FROM \`${target.database}\`.schema_migrations`,
    );
    const applied = new Set(rows.map((row) => String(row.name)));
    return shippedMigrationNames().every((name) => applied.has(name));
  } catch (error) {
    if (NOT_THERE.has((error as { code?: string }).code ?? '')) return false;
    throw error;
  } finally {
    await connection.end();
  }
}

/**
 * Applies pending migrations from a short-lived child process, started only when some are
 * pending (a restart then costs one query instead of a process). Sequelize and umzug, which the
 * migrations run on, are needed once at start, and a module once loaded stays for the life of
 * the process: in a service process they held ~12 MB of V8 heap and ~20 MB of RSS.
 */
export async function migrateDatabaseApart(url: string): Promise<string[]> {
  if (await isUpToDate(url)) return [];
  if (!canFork()) return (await import('./migrator')).migrateDatabase(url);
  const child = fork(CHILD, [], {
    // An --inspect port is the parent's: a child asking for it too would fail to start.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--inspect')),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const answer = await new Promise<MigrationAnswer>((resolve, reject) => {
    child.once('message', (message: MigrationAnswer) => resolve(message));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`migrations exited with ${code}`)));
    // The URL goes by IPC, not by argv or env, where other users of the host could read it.
    child.send({ url });
  });
  if ('error' in answer) throw new Error(answer.error);
  return answer.applied;
}
