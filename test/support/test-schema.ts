import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { connectToServer, dropDatabase, parseDatabaseUrl } from '../../src/db/database';
import { MYSQL_SERVER_URL, TEST_REDIS_URL, testRunTag, uniqueTestName } from './test-env';

/*
 * Running the 17 migrations costs a test file seconds (ALTERs rebuild tables) and holds the
 * server-wide migration lock, so files starting together wait on each other. global-setup
 * migrates one scratch database per run and writes its tables (SHOW CREATE TABLE) and rows as
 * one SQL script; each test file's own database is created from that script in one round trip.
 * The migrator (umzug) is loaded only to make the script, not by every test file.
 */

/** Where this run's schema script is (the run tag keeps side-by-side runs apart). */
function schemaFile(): string {
  return path.join(os.tmpdir(), `cyberstall-test-schema-${testRunTag()}.sql`);
}

/** With several database nodes (a Galera cluster) each file migrates, as before. */
const isOneServer = () => parseDatabaseUrl(`${MYSQL_SERVER_URL}/mysql`).nodes.length === 1;

/** Migrates a scratch database and writes its schema and rows as this run's script. */
export async function writeSchemaScript(): Promise<void> {
  if (!isOneServer()) return;
  const url = `${MYSQL_SERVER_URL}/${uniqueTestName()}`;
  const target = parseDatabaseUrl(url);
  const connection = await connectToServer(target);
  try {
    await connection.query(createDatabaseSql(target.database));
    await (await import('../../src/db/migrator')).migrateDatabase(url);
    await connection.query(`USE \`${target.database}\``);
    const [tables] = await connection.query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
      [target.database],
    );
    // Foreign keys name tables created later in the script.
    const statements = ['SET FOREIGN_KEY_CHECKS = 0'];
    for (const { name } of tables) {
      const [[created]] = await connection.query<mysql.RowDataPacket[]>(
        `SHOW CREATE TABLE \`${name}\``,
      );
      statements.push(String(created!['Create Table']));
    }
    // Rows the migrations wrote (their own bookkeeping, seeded counters).
    for (const { name } of tables) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>({
        sql: `SELECT * FROM \`${name}\``,
        rowsAsArray: true,
      });
      if (rows.length > 0) {
        statements.push(mysql.format(`INSERT INTO \`${name}\` VALUES ?`, [rows], false, 'Z'));
      }
    }
    statements.push('SET FOREIGN_KEY_CHECKS = 1');
    await writeFile(schemaFile(), statements.join(';\n'));
    await writeFile(`${schemaFile()}.columns`, await scriptColumnsFingerprint());
  } finally {
    await connection.query(`DROP DATABASE IF EXISTS \`${target.database}\``).catch(() => {});
    await connection.end();
  }
}

/** The columns of a database made from the script, as releaseDatabase compares them. */
async function scriptColumnsFingerprint(): Promise<string> {
  const url = `${MYSQL_SERVER_URL}/${uniqueTestName()}`;
  await createMigratedDatabase(url);
  const target = parseDatabaseUrl(url);
  const connection = await connectToServer(target);
  try {
    return await columnsFingerprint(connection, target.database);
  } finally {
    await connection.end();
    await dropDatabase(url);
  }
}

export async function removeSchemaScript(): Promise<void> {
  await rm(schemaFile(), { force: true });
  await rm(`${schemaFile()}.columns`, { force: true });
}

function createDatabaseSql(database: string): string {
  return `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
}

/**
 * Creates the database of `url` with every migration applied: from this run's script when
 * there is one, else by running the migrations. False when there was no script.
 */
export async function createMigratedDatabase(url: string): Promise<boolean> {
  const script = isOneServer() ? await readFile(schemaFile(), 'utf8').catch(() => null) : null;
  if (script === null) return false;
  const target = parseDatabaseUrl(url);
  const connection = await mysql.createConnection({
    ...target.server,
    multipleStatements: true,
    connectTimeout: 3000,
  });
  try {
    await connection.query(
      `${createDatabaseSql(target.database)};\nUSE \`${target.database}\`;\n${script}`,
    );
  } catch (error) {
    await dropDatabase(url).catch(() => {});
    throw error;
  } finally {
    await connection.end();
  }
  return true;
}

/*
 * A run makes some 170 databases, and creating one from the script costs the server ~100 ms of
 * CPU and its test file ~300 ms (create and drop). So a database a test file is done with is
 * emptied (DELETE of the tables that have rows, the migrations' own rows put back) and kept in
 * a Redis set of this run for the next file, in any worker; global-teardown drops what is left.
 * It is dropped instead when it holds many rows (a DELETE would cost more than a new one) or
 * when its columns are not the script's (a test changed the schema).
 */

/** Rows above which emptying a table costs more than making the database again. */
const RECYCLE_MAX_ROWS = 2000;

function poolKey(): string {
  return `cyberstall-test-databases:${testRunTag()}`;
}

async function withPoolRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

interface ScriptFacts {
  tables: string[];
  /** columnsFingerprint of a database made from the script. */
  columns: string;
  /** The INSERTs of the tables the migrations wrote rows into, by table. */
  seeds: Map<string, string>;
}

let scriptFacts: Promise<ScriptFacts | null> | undefined;

/** The run's tables and seed rows, read from its script (null when there is none). */
function readScriptFacts(): Promise<ScriptFacts | null> {
  scriptFacts ??= (async () => {
    if (!isOneServer()) return null;
    const [script, columns] = await Promise.all([
      readFile(schemaFile(), 'utf8').catch(() => null),
      readFile(`${schemaFile()}.columns`, 'utf8').catch(() => null),
    ]);
    if (script === null || columns === null) return null;
    const tables = [...script.matchAll(/^CREATE TABLE `(\w+)`/gm)].map((match) => match[1]!);
    const seeds = new Map<string, string>();
    for (const statement of script.split(';\n')) {
      const table = /^INSERT INTO `(\w+)`/.exec(statement)?.[1];
      if (table) seeds.set(table, statement);
    }
    return { tables, columns, seeds };
  })();
  return scriptFacts;
}

/** A fingerprint of a database's columns, to tell a schema a test changed. */
async function columnsFingerprint(connection: mysql.Connection, database: string): Promise<string> {
  const [[row]] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT COUNT(*) AS n, BIT_XOR(CRC32(CONCAT_WS('|', TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION,
        COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '~'), IFNULL(COLLATION_NAME, '~'), EXTRA))) AS x
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
    [database],
  );
  return `${row!.n}:${row!.x}`;
}

/**
 * A migrated database of this run that another test file is done with, or null (then make one
 * with createMigratedDatabase).
 */
export async function takeRecycledDatabase(): Promise<string | null> {
  if ((await readScriptFacts()) === null) return null;
  return withPoolRedis((redis) => redis.spop(poolKey()));
}

/** Empties the database of `url` and keeps it for another test file, or drops it. */
export async function releaseDatabase(url: string): Promise<void> {
  const facts = await readScriptFacts();
  if (facts === null || !(await recycle(url, facts))) {
    await dropDatabase(url);
    return;
  }
  await withPoolRedis((redis) => redis.sadd(poolKey(), parseDatabaseUrl(url).database));
}

/** True when the database was emptied back to what the script makes. */
async function recycle(url: string, facts: ScriptFacts): Promise<boolean> {
  const target = parseDatabaseUrl(url);
  const connection = await mysql.createConnection({
    ...target.server,
    database: target.database,
    multipleStatements: true,
    connectTimeout: 3000,
  });
  try {
    const fingerprint = await columnsFingerprint(connection, target.database);
    if (fingerprint !== facts.columns) return false;
    const [counts] = await connection.query<mysql.RowDataPacket[]>(
      facts.tables
        .map(
          (table) =>
            `SELECT '${table}' AS t, (SELECT COUNT(*) FROM (SELECT 1 FROM \`${table}\` LIMIT ${RECYCLE_MAX_ROWS + 1}) r) AS n`,
        )
        .join(' UNION ALL '),
    );
    if (counts.some((row) => Number(row.n) > RECYCLE_MAX_ROWS)) return false;
    const statements = ['SET FOREIGN_KEY_CHECKS = 0'];
    for (const { t: table, n } of counts as Array<{ t: string; n: number }>) {
      const seed = facts.seeds.get(table);
      if (Number(n) > 0 || seed) statements.push(`DELETE FROM \`${table}\``);
      if (seed) statements.push(seed);
    }
    statements.push('SET FOREIGN_KEY_CHECKS = 1');
    await connection.query(statements.join(';\n'));
    return true;
  } catch {
    return false;
  } finally {
    await connection.end().catch(() => {});
  }
}

/** Drops the databases kept for reuse (global-teardown, before it looks for leaks). */
export async function dropRecycledDatabases(): Promise<void> {
  const names = await withPoolRedis(async (redis) => {
    const members = await redis.smembers(poolKey());
    await redis.del(poolKey());
    return members;
  });
  await Promise.all(names.map((name) => dropDatabase(`${MYSQL_SERVER_URL}/${name}`)));
}
