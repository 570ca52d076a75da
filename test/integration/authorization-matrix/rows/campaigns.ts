import { challengeBody, dropBody, matrixOffer } from '../bodies';
import { brandsOnly, everyone, only, type Row, signedIn } from '../table';
import { dropListing, freshScheduledDrop, fx } from '../world';

/** Puzzle drops, challenges and culture points. */
export const campaignsRows: Row[] = [
  // Puzzle drops: public reads; brand writes, another brand's drop 403 (drops are public).
  {
    method: 'POST',
    path: '/v1/campaigns/drops',
    // other brand names brand's listing: "a drop sells the brand's own listing".
    expected: brandsOnly(201, 403),
    target: () => ({ url: '/v1/campaigns/drops', body: dropBody(dropListing) }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/drops',
    expected: everyone(200),
    target: () => ({ url: '/v1/campaigns/drops' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/drops',
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/drops' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/content-impact',
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/content-impact' }),
  },
  {
    method: 'GET',
    path: '/v1/me/content-impact',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/content-impact' }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/drops/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}` }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/drops/{id}/me',
    // Each signed-in caller reads only their own standing; the brand's is that of a non-player.
    expected: signedIn(200),
    target: () => ({ url: `/v1/campaigns/drops/${fx.liveDrop}/me` }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/drops/{id}/reminders',
    expected: signedIn(204),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}/reminders` }),
  },
  {
    method: 'DELETE',
    path: '/v1/campaigns/drops/{id}/reminders',
    expected: signedIn(204),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}/reminders` }),
  },
  {
    method: 'PATCH',
    path: '/v1/campaigns/drops/{id}',
    expected: brandsOnly(200, 403),
    target: () => ({
      url: `/v1/campaigns/drops/${fx.scheduledDrop}`,
      body: { title: 'Fuji drop, renamed' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/drops/{id}/cancel',
    expected: brandsOnly(200, 403),
    target: async (as) => ({
      url: `/v1/campaigns/drops/${as === 'brand' ? await freshScheduledDrop() : fx.scheduledDrop}/cancel`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/drops/{id}/attempts',
    // The brand that runs the drop could never buy what it won: own_drop.
    expected: { ...signedIn(200), brand: 403 },
    target: () => ({
      url: `/v1/campaigns/drops/${fx.liveDrop}/attempts`,
      body: { answer: 'Mount Fuji' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/drops/{id}/stats',
    expected: brandsOnly(200, 403),
    target: () => ({ url: `/v1/campaigns/drops/${fx.scheduledDrop}/stats` }),
  },

  // Challenges: brand runs one; its owner cannot join it.
  {
    method: 'POST',
    path: '/v1/campaigns/challenges',
    expected: brandsOnly(201, 201),
    target: () => ({ url: '/v1/campaigns/challenges', body: challengeBody() }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/challenges',
    expected: everyone(200),
    target: () => ({ url: '/v1/campaigns/challenges' }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/challenges/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/campaigns/challenges/${fx.challenge}` }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/challenges/{id}/join',
    expected: { ...signedIn(200), brand: 403 },
    target: () => ({ url: `/v1/campaigns/challenges/${fx.challenge}/join` }),
  },

  // Culture points
  {
    method: 'GET',
    path: '/v1/me/points',
    expected: signedIn(200),
    target: () => ({ url: '/v1/me/points' }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/points-offers',
    expected: brandsOnly(201, 201),
    target: () => ({ url: '/v1/campaigns/points-offers', body: matrixOffer() }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/points-offers',
    expected: everyone(200),
    target: () => ({ url: '/v1/campaigns/points-offers' }),
  },
  {
    method: 'GET',
    path: '/v1/brands/me/points-offers',
    expected: brandsOnly(200, 200),
    target: () => ({ url: '/v1/brands/me/points-offers' }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/points-offers/{id}/stats',
    // Offers are public: another brand is told no (403), as for a drop's stats.
    expected: brandsOnly(200, 403),
    target: () => ({ url: `/v1/campaigns/points-offers/${fx.offer}/stats` }),
  },
  {
    method: 'GET',
    path: '/v1/campaigns/points-offers/{id}',
    expected: everyone(200),
    target: () => ({ url: `/v1/campaigns/points-offers/${fx.offer}` }),
  },
  {
    method: 'POST',
    path: '/v1/campaigns/points-offers/{id}/airdrop',
    expected: brandsOnly(202, 403),
    target: () => ({ url: `/v1/campaigns/points-offers/${fx.offer}/airdrop` }),
  },
  {
    method: 'POST',
    path: '/v1/points/conversions',
    expected: signedIn(202),
    target: () => ({ url: '/v1/points/conversions', body: { offerId: fx.offer } }),
  },
  {
    method: 'GET',
    path: '/v1/points/conversions',
    expected: signedIn(200),
    target: () => ({ url: '/v1/points/conversions' }),
  },
  {
    method: 'GET',
    path: '/v1/points/conversions/{id}',
    expected: only({ member: 200 }, 404),
    target: () => ({ url: `/v1/points/conversions/${fx.conversion}` }),
  },
  {
    method: 'GET',
    path: '/v1/jobs/{id}',
    // Its owner or an admin; anyone else learns nothing.
    expected: only({ brand: 200, admin: 200 }, 404),
    target: () => ({ url: `/v1/jobs/${fx.airdropJob}` }),
  },
];
