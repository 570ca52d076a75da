import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

export const checkout: Migration = {
  name: '003-checkout',
  async up({ context: sql }) {
    await sql.query(`CREATE TABLE orders (
      id ${ID} NOT NULL PRIMARY KEY,
      buyer_id ${ID} NOT NULL,
      seller_id ${ID} NOT NULL,
      status VARCHAR(20) CHARACTER SET ascii NOT NULL,
      currency CHAR(3) CHARACTER SET ascii NOT NULL,
      subtotal_amount BIGINT NOT NULL,
      discount_amount BIGINT NOT NULL,
      total_amount BIGINT NOT NULL,
      platform_fee_amount BIGINT NOT NULL,
      refunded_amount BIGINT NOT NULL DEFAULT 0,
      coupon_id ${ID} NULL,
      coupon_code CHAR(16) CHARACTER SET ascii NULL,
      coupon_brand_id ${ID} NULL,
      drop_id ${ID} NULL,
      reservation_id ${ID} NULL,
      shipping_address TEXT NOT NULL,
      payment_provider VARCHAR(10) CHARACTER SET ascii NOT NULL,
      payment_status VARCHAR(30) CHARACTER SET ascii NOT NULL,
      payment_intent_id VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
      payment_client_secret VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
      carrier VARCHAR(100) NULL,
      tracking_number VARCHAR(100) NULL,
      expires_at DATETIME(3) NOT NULL,
      paid_at DATETIME(3) NULL,
      shipped_at DATETIME(3) NULL,
      completed_at DATETIME(3) NULL,
      canceled_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      CONSTRAINT orders_amounts CHECK (discount_amount <= subtotal_amount AND total_amount = subtotal_amount - discount_amount AND refunded_amount <= total_amount),
      UNIQUE KEY orders_payment_intent (payment_intent_id),
      KEY orders_buyer (buyer_id, id),
      KEY orders_seller (seller_id, id),
      KEY orders_status_expiry (status, expires_at),
      KEY orders_created (created_at),
      KEY orders_drop (drop_id, status)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE order_items (
      order_id ${ID} NOT NULL,
      listing_id ${ID} NOT NULL,
      title VARCHAR(200) NOT NULL,
      quantity INT NOT NULL,
      unit_amount BIGINT NOT NULL,
      PRIMARY KEY (order_id, listing_id),
      KEY order_items_listing (listing_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE refunds (
      id ${ID} NOT NULL PRIMARY KEY,
      order_id ${ID} NOT NULL,
      amount BIGINT NOT NULL,
      status VARCHAR(20) CHARACTER SET ascii NOT NULL,
      provider_refund_id VARCHAR(255) CHARACTER SET ascii NULL,
      requested_by ${ID} NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY refunds_order (order_id)
    ) ENGINE=InnoDB`);
    await sql.query(`CREATE TABLE coupon_batches (
      id ${ID} NOT NULL PRIMARY KEY,
      brand_id ${ID} NOT NULL,
      count INT NOT NULL,
      generated INT NOT NULL DEFAULT 0,
      status VARCHAR(20) CHARACTER SET ascii NOT NULL,
      discount_type VARCHAR(10) CHARACTER SET ascii NOT NULL,
      percent_off INT NULL,
      amount_off BIGINT NULL,
      currency CHAR(3) CHARACTER SET ascii NULL,
      min_spend_amount BIGINT NULL,
      expires_at DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      KEY coupon_batches_brand (brand_id, id)
    ) ENGINE=InnoDB`);
    // One row per code. status: available -> held (by a pending order) -> redeemed; held -> available on release.
    await sql.query(`CREATE TABLE coupons (
      id ${ID} NOT NULL PRIMARY KEY,
      code CHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      brand_id ${ID} NOT NULL,
      batch_id ${ID} NULL,
      source_id ${ID} NULL,
      owner_id ${ID} NULL,
      discount_type VARCHAR(10) CHARACTER SET ascii NOT NULL,
      percent_off INT NULL,
      amount_off BIGINT NULL,
      currency CHAR(3) CHARACTER SET ascii NULL,
      min_spend_amount BIGINT NULL,
      expires_at DATETIME(3) NOT NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      order_id ${ID} NULL,
      redeemed_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY coupons_code (code),
      UNIQUE KEY coupons_source (source_id),
      KEY coupons_batch (batch_id, id),
      KEY coupons_owner (owner_id, id)
    ) ENGINE=InnoDB`);
    await sql.query(`CREATE TABLE payout_accounts (
      user_id ${ID} NOT NULL PRIMARY KEY,
      provider VARCHAR(10) CHARACTER SET ascii NOT NULL,
      account_id VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      charges_enabled TINYINT(1) NOT NULL DEFAULT 0,
      payouts_enabled TINYINT(1) NOT NULL DEFAULT 0,
      details_submitted TINYINT(1) NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY payout_accounts_account (account_id)
    ) ENGINE=InnoDB`);
    // Provider events by id: a delivery seen twice is stored once and handled once.
    await sql.query(`CREATE TABLE payment_events (
      id VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      type VARCHAR(100) CHARACTER SET ascii NOT NULL,
      payload MEDIUMTEXT NOT NULL,
      received_at DATETIME(3) NOT NULL,
      processed_at DATETIME(3) NULL,
      outcome VARCHAR(100) NULL
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    for (const table of [
      'payment_events',
      'payout_accounts',
      'coupons',
      'coupon_batches',
      'refunds',
      'order_items',
      'orders',
    ]) {
      await sql.query(`DROP TABLE IF EXISTS ${table}`);
    }
  },
};
