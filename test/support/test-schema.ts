import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { connectToServer, dropDatabase, parseDatabaseUrl } from '../../src/db/database';
import { MYSQL_SERVER_URL, testRunTag, uniqueTestName } from './test-env';

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
  } finally {
    await connection.query(`DROP DATABASE IF EXISTS \`${target.database}\``).catch(() => {});
    await connection.end();
  }
}

export async function removeSchemaScript(): Promise<void> {
  await rm(schemaFile(), { force: true });
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
