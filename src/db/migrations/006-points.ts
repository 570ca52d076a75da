import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

export const points: Migration = {
  name: '006-points',
  async up({ context: sql }) {
    // status: published | pending_review | rejected | deleted. points_awarded and like_points are
    // what the note has earned its author so far: exactly what a rejection or deletion takes back.
    await sql.query(`CREATE TABLE notes (
      id ${ID} NOT NULL PRIMARY KEY,
      author_id ${ID} NOT NULL,
      client_id CHAR(36) CHARACTER SET ascii NOT NULL,
      title VARCHAR(200) NOT NULL,
      body TEXT NOT NULL,
      languages VARCHAR(400) CHARACTER SET ascii NOT NULL,
      culture_tags TEXT NOT NULL,
      images TEXT NOT NULL,
      written_at DATETIME(3) NULL,
      status VARCHAR(20) CHARACTER SET ascii NOT NULL,
      version INT NOT NULL,
      like_count INT NOT NULL DEFAULT 0,
      points_awarded INT NOT NULL DEFAULT 0,
      like_points INT NOT NULL DEFAULT 0,
      reject_reason VARCHAR(500) NULL,
      moderated_by ${ID} NULL,
      published_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      UNIQUE KEY notes_client (author_id, client_id),
      KEY notes_status (status, id),
      KEY notes_author (author_id, status, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE note_tags (
      tag VARCHAR(50) NOT NULL,
      note_id ${ID} NOT NULL,
      PRIMARY KEY (tag, note_id),
      KEY note_tags_note (note_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    // points: what this like earned the note's author, taken back exactly when it is removed.
    await sql.query(`CREATE TABLE note_likes (
      note_id ${ID} NOT NULL,
      member_id ${ID} NOT NULL,
      points INT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (note_id, member_id),
      KEY note_likes_member (member_id)
    ) ENGINE=InnoDB`);
    // Append-only. One entry per (member, reason, source): an event counted twice counts once.
    await sql.query(`CREATE TABLE point_entries (
      id ${ID} NOT NULL PRIMARY KEY,
      member_id ${ID} NOT NULL,
      amount INT NOT NULL,
      reason VARCHAR(30) CHARACTER SET ascii NOT NULL,
      source_id VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY point_entries_event (member_id, reason, source_id),
      KEY point_entries_member (member_id, id)
    ) ENGINE=InnoDB`);
    // The running sum of a member's entries, changed in the same transaction as each entry; its
    // row is the lock that orders everything a member spends.
    await sql.query(`CREATE TABLE point_balances (
      member_id ${ID} NOT NULL PRIMARY KEY,
      balance BIGINT NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      CONSTRAINT point_balances_non_negative CHECK (balance >= 0)
    ) ENGINE=InnoDB`);
    // Points earned per member per day of their own time zone, for the daily cap.
    await sql.query(`CREATE TABLE point_days (
      member_id ${ID} NOT NULL,
      day CHAR(10) CHARACTER SET ascii NOT NULL,
      earned INT NOT NULL,
      PRIMARY KEY (member_id, day)
    ) ENGINE=InnoDB`);
    await sql.query(`CREATE TABLE points_offers (
      id ${ID} NOT NULL PRIMARY KEY,
      brand_id ${ID} NOT NULL,
      title VARCHAR(200) NOT NULL,
      points_cost INT NOT NULL,
      discount_type VARCHAR(10) CHARACTER SET ascii NOT NULL,
      percent_off INT NULL,
      amount_off BIGINT NULL,
      currency CHAR(3) CHARACTER SET ascii NULL,
      min_spend_amount BIGINT NULL,
      valid_days INT NOT NULL,
      budget INT NOT NULL,
      issued INT NOT NULL DEFAULT 0,
      per_user_limit INT NOT NULL,
      starts_at DATETIME(3) NOT NULL,
      ends_at DATETIME(3) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      CONSTRAINT points_offers_budget CHECK (issued <= budget),
      KEY points_offers_window (ends_at, starts_at),
      KEY points_offers_brand (brand_id, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await sql.query(`CREATE TABLE point_conversions (
      id ${ID} NOT NULL PRIMARY KEY,
      offer_id ${ID} NOT NULL,
      member_id ${ID} NOT NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      reason VARCHAR(30) CHARACTER SET ascii NULL,
      points_cost INT NULL,
      coupon_id ${ID} NULL,
      created_at DATETIME(3) NOT NULL,
      settled_at DATETIME(3) NULL,
      KEY point_conversions_pending (status, created_at),
      KEY point_conversions_member (member_id, id)
    ) ENGINE=InnoDB`);
    // One airdrop is one job; cursor is the last member id done, so a restarted job resumes.
    await sql.query(`CREATE TABLE airdrops (
      id ${ID} NOT NULL PRIMARY KEY,
      offer_id ${ID} NOT NULL,
      brand_id ${ID} NOT NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      total INT NULL,
      done INT NOT NULL DEFAULT 0,
      issued INT NOT NULL DEFAULT 0,
      cursor_member_id ${ID} NOT NULL DEFAULT '',
      stopped_by VARCHAR(30) CHARACTER SET ascii NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      finished_at DATETIME(3) NULL,
      KEY airdrops_status (status, created_at)
    ) ENGINE=InnoDB`);
    // Coupons bought with points name their offer: the per-member limit counts them.
    await sql.query(`ALTER TABLE coupons
      ADD COLUMN offer_id ${ID} NULL AFTER source_id,
      ADD KEY coupons_offer_owner (offer_id, owner_id)`);
    await sql.query(`CREATE INDEX users_auto_convert ON users (auto_convert_points, id)`);
  },
  async down({ context: sql }) {
    await sql.query('DROP INDEX users_auto_convert ON users');
    await sql.query('ALTER TABLE coupons DROP KEY coupons_offer_owner, DROP COLUMN offer_id');
    for (const table of [
      'airdrops',
      'point_conversions',
      'points_offers',
      'point_days',
      'point_balances',
      'point_entries',
      'note_likes',
      'note_tags',
      'notes',
    ]) {
      await sql.query(`DROP TABLE IF EXISTS ${table}`);
    }
  },
};
