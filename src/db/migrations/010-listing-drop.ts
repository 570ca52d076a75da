import type { Migration } from '../migrator';

/**
 * Each listing points at the puzzle drop it shows (scheduled or live), kept by the drops
 * service as drops start and finish. Browsing joins it on its primary key, and only for
 * listings that have one, rather than looking for it with a subquery per listing on every page.
 */
export const listingDrop: Migration = {
  name: '010-listing-drop',
  async up({ context: sql }) {
    await sql.query(`ALTER TABLE listings
      ADD COLUMN drop_id VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER status`);
    await sql.query(`UPDATE listings l SET l.drop_id = (
        SELECT d.id FROM drops d WHERE d.listing_id = l.id AND d.status IN ('live', 'scheduled')
         ORDER BY d.starts_at LIMIT 1)
      WHERE EXISTS (SELECT 1 FROM drops d WHERE d.listing_id = l.id AND d.status IN ('live', 'scheduled'))`);
  },
  async down({ context: sql }) {
    await sql.query('ALTER TABLE listings DROP COLUMN drop_id');
  },
};
