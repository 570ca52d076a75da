import mysql from 'mysql2/promise';
import { dropDatabase, ensureDatabase, parseDatabaseUrl } from '../../../src/db/database';
import { migrateDatabaseApart, shippedMigrationNames } from '../../../src/db/migration-process';
import { migrations } from '../../../src/db/migrator';
import { MYSQL_SERVER_URL, uniqueTestName } from '../../support/test-env';
import { createMigratedDatabase } from '../../support/test-schema';

// A start asks the database whether anything is pending before it starts the migrations'
// process (or, here under ts-jest, loads the migrator).
const urls: string[] = [];
const newDatabaseUrl = () => {
  const url = `${MYSQL_SERVER_URL}/${uniqueTestName()}`;
  urls.push(url);
  return url;
};

afterAll(() => Promise.all(urls.map(dropDatabase)));

test("the migration files shipped are the migrator's list, in order", () => {
  expect(shippedMigrationNames()).toEqual(migrations.map((migration) => migration.name));
});

test('an empty database is migrated: every migration is applied', async () => {
  const url = newDatabaseUrl();
  await ensureDatabase(url);
  expect(await migrateDatabaseApart(url)).toEqual(shippedMigrationNames());
  expect(await migrateDatabaseApart(url)).toEqual([]);
});

test('a database with every migration recorded is left alone, without the migration lock', async () => {
  const url = newDatabaseUrl();
  if (!(await createMigratedDatabase(url))) await migrateDatabaseApart(url);
  const target = parseDatabaseUrl(url);
  // Another process migrating holds the lock: the migrator would wait for it; a start that has
  // nothing to apply must not.
  const holder = await mysql.createConnection(target.server);
  try {
    const [[held]] = await holder.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, 5) AS got', [
      `cyberstall_migrations:${target.database}`.slice(0, 64),
    ]);
    expect(held!.got).toBe(1);
    await expect(migrateDatabaseApart(url)).resolves.toEqual([]);
  } finally {
    await holder.end();
  }
});

test('a database missing the newest migration gets it', async () => {
  const url = newDatabaseUrl();
  if (!(await createMigratedDatabase(url))) await migrateDatabaseApart(url);
  const target = parseDatabaseUrl(url);
  const newest = migrations[migrations.length - 1]!;
  const connection = await mysql.createConnection({ ...target.server, database: target.database });
  try {
    // Back to the schema before it: its own down, and its row gone from umzug's table.
    const { Sequelize } = await import('sequelize');
    const sequelize = new Sequelize(
      target.database,
      String(target.server.user),
      target.server.password ?? '',
      {
        host: target.server.host,
        port: target.server.port,
        dialect: 'mysql',
        logging: false,
      },
    );
    try {
      await newest.down({ context: sequelize });
    } finally {
      await sequelize.close();
    }
    await connection.query('DELETE FROM schema_migrations WHERE name = ?', [newest.name]);
  } finally {
    await connection.end();
  }
  expect(await migrateDatabaseApart(url)).toEqual([newest.name]);
});
