import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Account trust and mail: verified addresses and a mail language per user, one-time tokens
 * (reset, verification) kept as SHA-256 digests, the mail outbox (one row per event, its
 * unique key making a replayed event mail nothing twice) and drop reminders.
 */
export const accountsMail: Migration = {
  name: '011-accounts-mail',
  async up({ context: sql }) {
    await sql.query(`ALTER TABLE users
      ADD COLUMN email_verified_at DATETIME(3) NULL AFTER email,
      ADD COLUMN locale VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'en' AFTER timezone`);
    await sql.query(`CREATE TABLE account_tokens (
      token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      user_id ${ID} NOT NULL,
      purpose VARCHAR(24) CHARACTER SET ascii NOT NULL,
      created_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      used_at DATETIME(3) NULL,
      KEY account_tokens_user (user_id, purpose),
      KEY account_tokens_expiry (expires_at)
    ) ENGINE=InnoDB`);
    await sql.query(`CREATE TABLE mail_outbox (
      id ${ID} NOT NULL PRIMARY KEY,
      event_key VARCHAR(191) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      kind VARCHAR(40) CHARACTER SET ascii NOT NULL,
      to_address VARCHAR(254) NOT NULL,
      locale VARCHAR(16) CHARACTER SET ascii NOT NULL,
      subject VARCHAR(300) NOT NULL,
      text_body MEDIUMTEXT NOT NULL,
      html_body MEDIUMTEXT NOT NULL,
      status VARCHAR(12) CHARACTER SET ascii NOT NULL,
      attempts INT NOT NULL DEFAULT 0,
      claimed_at DATETIME(3) NULL,
      sent_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY mail_outbox_event (event_key),
      KEY mail_outbox_created (created_at, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE drop_reminders (
      drop_id ${ID} NOT NULL,
      user_id ${ID} NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (drop_id, user_id)
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS drop_reminders');
    await sql.query('DROP TABLE IF EXISTS mail_outbox');
    await sql.query('DROP TABLE IF EXISTS account_tokens');
    await sql.query('ALTER TABLE users DROP COLUMN locale, DROP COLUMN email_verified_at');
  },
};
