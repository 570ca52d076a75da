import type { Migration } from '../migrator';

/**
 * The data vault (src/vault): members of VAULT_COUNTRIES keep their email in the vault
 * database, so the main one signs in and keeps emails unique by an HMAC of the address,
 * kept for every member. `erased_at` marks an account whose personal data was erased.
 */
export const dataVault: Migration = {
  name: '017-data-vault',
  async up({ context: sql }) {
    await sql.query(`ALTER TABLE users
      ADD COLUMN email_hmac CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER email,
      ADD COLUMN erased_at DATETIME(3) NULL,
      ADD UNIQUE KEY users_email_hmac (email_hmac)`);
  },
  async down({ context: sql }) {
    await sql.query(
      'ALTER TABLE users DROP INDEX users_email_hmac, DROP COLUMN email_hmac, DROP COLUMN erased_at',
    );
  },
};
