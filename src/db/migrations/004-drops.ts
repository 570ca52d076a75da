import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

export const drops: Migration = {
  name: '004-drops',
  async up({ context: sql }) {
    // Answers are kept only as HMACs of their normalised form, keyed by a per-drop salt.
    await sql.query(`CREATE TABLE drops (
      id ${ID} NOT NULL PRIMARY KEY,
      brand_id ${ID} NOT NULL,
      owner_id ${ID} NOT NULL,
      listing_id ${ID} NOT NULL,
      title VARCHAR(200) NOT NULL,
      stock INT NOT NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      starts_at DATETIME(3) NOT NULL,
      ends_at DATETIME(3) NOT NULL,
      timezone VARCHAR(64) CHARACTER SET ascii NOT NULL,
      question TEXT NOT NULL,
      hints TEXT NOT NULL,
      answer_salt CHAR(32) CHARACTER SET ascii NOT NULL,
      answer_hashes TEXT CHARACTER SET ascii NOT NULL,
      max_attempts_per_user INT NOT NULL,
      per_user_limit INT NOT NULL,
      reservation_seconds INT NOT NULL,
      attempts INT NOT NULL DEFAULT 0,
      participants INT NOT NULL DEFAULT 0,
      solves INT NOT NULL DEFAULT 0,
      returned_units INT NOT NULL DEFAULT 0,
      opened_at DATETIME(3) NULL,
      closed_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      CONSTRAINT drops_stock_positive CHECK (stock > 0),
      KEY drops_status_starts (status, starts_at),
      KEY drops_status_ends (status, ends_at),
      KEY drops_listing_status (listing_id, status),
      KEY drops_brand (brand_id, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // One row per unit won. status: active (held) -> consumed (an order holds it) | expired | released.
    await sql.query(`CREATE TABLE drop_reservations (
      id ${ID} NOT NULL PRIMARY KEY,
      drop_id ${ID} NOT NULL,
      user_id ${ID} NOT NULL,
      token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      order_id ${ID} NULL,
      expires_at DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY drop_reservations_token (token_hash),
      KEY drop_reservations_drop_status (drop_id, status),
      KEY drop_reservations_user (user_id, drop_id),
      KEY drop_reservations_expiry (status, expires_at)
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS drop_reservations');
    await sql.query('DROP TABLE IF EXISTS drops');
  },
};
