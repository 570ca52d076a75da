import type mysql from 'mysql2/promise';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';
const TABLE = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

interface VaultMigration {
  name: string;
  up: string[];
}

/**
 * The vault database's own migrations, recorded in its own `vault_migrations` table: the
 * vault may live on another server than the main database, with its own history.
 */
const VAULT_MIGRATIONS: VaultMigration[] = [
  {
    name: 'v001-vault',
    up: [
      `CREATE TABLE vault_members (
        user_id ${ID} NOT NULL PRIMARY KEY,
        email VARCHAR(254) NOT NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL
      ) ${TABLE}`,
      `CREATE TABLE vault_addresses (
        id ${ID} NOT NULL PRIMARY KEY,
        user_id ${ID} NOT NULL,
        name VARCHAR(200) NOT NULL,
        line1 VARCHAR(200) NOT NULL,
        line2 VARCHAR(200) NULL,
        city VARCHAR(200) NOT NULL,
        postal_code VARCHAR(40) NOT NULL,
        country CHAR(2) CHARACTER SET ascii NOT NULL,
        created_at DATETIME(3) NOT NULL,
        KEY vault_addresses_user (user_id)
      ) ${TABLE}`,
      `CREATE TABLE vault_access_log (
        id ${ID} NOT NULL PRIMARY KEY,
        at DATETIME(3) NOT NULL,
        actor_id ${ID} NULL,
        subject_id ${ID} NOT NULL,
        what VARCHAR(40) CHARACTER SET ascii NOT NULL,
        ref ${ID} NULL,
        purpose VARCHAR(64) CHARACTER SET ascii NOT NULL,
        KEY vault_access_subject (subject_id, at)
      ) ${TABLE}`,
      `CREATE TABLE vault_exports (
        id ${ID} NOT NULL PRIMARY KEY,
        user_id ${ID} NOT NULL,
        status VARCHAR(12) CHARACTER SET ascii NOT NULL,
        body LONGTEXT NULL,
        created_at DATETIME(3) NOT NULL,
        finished_at DATETIME(3) NULL,
        downloaded_at DATETIME(3) NULL,
        KEY vault_exports_user (user_id, created_at)
      ) ${TABLE}`,
    ],
  },
];

const LOCK_NAME = 'cyberstall_vault_migrations';

/** Applies the vault's pending migrations under a named lock (API and worker may start together). */
export async function migrateVault(connection: mysql.PoolConnection): Promise<string[]> {
  const [got] = await connection.query('SELECT GET_LOCK(?, 120) AS got', [LOCK_NAME]);
  if ((got as Array<{ got: number }>)[0]?.got !== 1)
    throw new Error('could not take the vault migration lock');
  try {
    await connection.query(`CREATE TABLE IF NOT EXISTS vault_migrations (
      name VARCHAR(100) CHARACTER SET ascii NOT NULL PRIMARY KEY,
      applied_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB`);
    const [rows] = await connection.query('SELECT name FROM vault_migrations');
    const done = new Set((rows as Array<{ name: string }>).map((row) => row.name));
    const applied: string[] = [];
    for (const migration of VAULT_MIGRATIONS) {
      if (done.has(migration.name)) continue;
      for (const statement of migration.up) await connection.query(statement);
      await connection.query('INSERT INTO vault_migrations (name, applied_at) VALUES (?, NOW(3))', [
        migration.name,
      ]);
      applied.push(migration.name);
    }
    return applied;
  } finally {
    await connection.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
  }
}
