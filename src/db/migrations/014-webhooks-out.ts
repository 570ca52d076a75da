import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Webhooks out: integrators' endpoints, the event outbox (written in the transaction of the
 * change it reports, one row per event key, so a replay adds none), one delivery per event and
 * endpoint (its unique key makes a re-run fan-out deliver nothing twice) and every attempt.
 */
export const webhooksOut: Migration = {
  name: '014-webhooks-out',
  async up({ context: sql }) {
    await sql.query(`CREATE TABLE webhook_endpoints (
      id ${ID} NOT NULL PRIMARY KEY,
      owner_id ${ID} NOT NULL,
      brand_id ${ID} NULL,
      scope VARCHAR(8) CHARACTER SET ascii NOT NULL,
      url VARCHAR(2000) NOT NULL,
      events VARCHAR(400) CHARACTER SET ascii NOT NULL,
      secret VARCHAR(80) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      created_at DATETIME(3) NOT NULL,
      deleted_at DATETIME(3) NULL,
      KEY webhook_endpoints_owner (owner_id, id),
      KEY webhook_endpoints_brand (brand_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE webhook_events (
      id ${ID} NOT NULL PRIMARY KEY,
      event_key VARCHAR(191) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      type VARCHAR(40) CHARACTER SET ascii NOT NULL,
      seller_id ${ID} NULL,
      brand_id ${ID} NULL,
      data MEDIUMTEXT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      dispatched_at DATETIME(3) NULL,
      UNIQUE KEY webhook_events_key (event_key),
      KEY webhook_events_undispatched (dispatched_at, created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE webhook_deliveries (
      id ${ID} NOT NULL PRIMARY KEY,
      endpoint_id ${ID} NOT NULL,
      event_id ${ID} NOT NULL,
      status VARCHAR(12) CHARACTER SET ascii NOT NULL,
      attempts INT NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL,
      finished_at DATETIME(3) NULL,
      UNIQUE KEY webhook_deliveries_pair (endpoint_id, event_id)
    ) ENGINE=InnoDB`);
    await sql.query(`CREATE TABLE webhook_attempts (
      id ${ID} NOT NULL PRIMARY KEY,
      delivery_id ${ID} NOT NULL,
      endpoint_id ${ID} NOT NULL,
      event_id ${ID} NOT NULL,
      attempt INT NOT NULL,
      status_code INT NULL,
      error VARCHAR(300) NULL,
      duration_ms INT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY webhook_attempts_endpoint (endpoint_id, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS webhook_attempts');
    await sql.query('DROP TABLE IF EXISTS webhook_deliveries');
    await sql.query('DROP TABLE IF EXISTS webhook_events');
    await sql.query('DROP TABLE IF EXISTS webhook_endpoints');
  },
};
