import type { Migration } from '../migrator';

export const campaignStats: Migration = {
  name: '008-campaign-stats',
  async up({ context: sql }) {
    // A batch's or an offer's redeemed coupons, counted without walking all of their codes
    // (a batch holds up to 100,000, an offer up to its budget).
    await sql.query(`ALTER TABLE coupons
      ADD KEY coupons_batch_status (batch_id, status),
      ADD KEY coupons_offer_status (offer_id, status)`);
  },
  async down({ context: sql }) {
    await sql.query(
      'ALTER TABLE coupons DROP KEY coupons_batch_status, DROP KEY coupons_offer_status',
    );
  },
};
