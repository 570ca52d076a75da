import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

export const accounts: Migration = {
  name: '001-accounts',
  async up({ context: sql }) {
    await sql.query(`CREATE TABLE users (
      id ${ID} NOT NULL PRIMARY KEY,
      email VARCHAR(254) NOT NULL,
      password_hash VARCHAR(255) NOT NULL,
      display_name VARCHAR(100) NOT NULL,
      country CHAR(2) CHARACTER SET ascii NOT NULL,
      timezone VARCHAR(64) CHARACTER SET ascii NOT NULL,
      roles VARCHAR(200) CHARACTER SET ascii NOT NULL DEFAULT 'member',
      brand_id ${ID} NULL,
      auto_convert_points TINYINT(1) NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY users_email (email)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE brands (
      id ${ID} NOT NULL PRIMARY KEY,
      owner_id ${ID} NOT NULL,
      name VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY brands_owner (owner_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE auth_tokens (
      token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      user_id ${ID} NOT NULL,
      created_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      KEY auth_tokens_user (user_id),
      KEY auth_tokens_expiry (expires_at)
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS auth_tokens');
    await sql.query('DROP TABLE IF EXISTS brands');
    await sql.query('DROP TABLE IF EXISTS users');
  },
};
