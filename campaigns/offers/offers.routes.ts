import { z } from 'zod';
import { cursorParam, idParam, limitParam, listOf } from '../../src/http/common-schemas';
import { AppError } from '../../src/http/app-error';
import type { AuthContext } from '../../src/http/auth-context';
import { LIMITS, type RateLimits } from '../../src/http/rate-limit';
import type { ApiRoutes } from '../../src/http/route';
import type { BrandQuotas } from '../quotas';
import type { AirdropsService } from './airdrops.service';
import type { ConversionsService } from './conversions.service';
import {
  airdropAcceptedSchema,
  conversionBody,
  conversionSchema,
  createOfferBody,
  jobSchema,
  listOffersQuery,
  offerSchema,
  offerStatsSchema,
  ownOfferSchema,
} from './offers.schema';
import type { OffersService } from './offers.service';

const offerId = idParam('pof');

function brandOf(auth: AuthContext | undefined): string {
  if (!auth?.brandId) throw AppError.forbidden('Only brand accounts run offers.');
  return auth.brandId;
}

export interface OffersRoutesDeps {
  offers: OffersService;
  conversions: ConversionsService;
  airdrops: AirdropsService;
  limits: RateLimits;
  quotas: BrandQuotas;
}

export function offersRoutes(routes: ApiRoutes, deps: OffersRoutesDeps): void {
  const { offers, conversions, airdrops, limits, quotas } = deps;
  const tag = 'Culture points';
  routes.add({
    method: 'post',
    path: '/v1/campaigns/points-offers',
    operationId: 'createPointsOffer',
    summary: 'Offer coupons for culture points, with a budget, a per-member limit and a window',
    tag,
    access: ['brand'],
    body: createOfferBody,
    status: 201,
    response: offerSchema,
    errors: [429],
    handler: async ({ auth, body }) => {
      const brandId = brandOf(auth);
      await quotas.count(auth, 'offersPerDay');
      return offers.create(brandId, body);
    },
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/points-offers',
    operationId: 'listPointsOffers',
    summary: 'Offers open now with coupons left, newest first',
    tag,
    access: 'public',
    query: listOffersQuery,
    response: listOf(offerSchema),
    handler: ({ query }) => offers.listActive(query),
  });
  routes.add({
    method: 'get',
    path: '/v1/brands/me/points-offers',
    operationId: 'listMyPointsOffers',
    summary: "The brand's own offers, any status, newest first, each with its results",
    tag,
    access: ['brand'],
    query: z.object({ limit: limitParam, cursor: cursorParam }),
    response: listOf(ownOfferSchema),
    handler: ({ auth, query }) => offers.listOwn(brandOf(auth), query.cursor, query.limit),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/points-offers/:id/stats',
    operationId: 'getPointsOfferStats',
    summary: "An offer's results (issued, redeemed, revenue), for the brand that runs it",
    tag,
    access: ['brand'],
    params: offerId,
    response: offerStatsSchema,
    errors: [404],
    handler: ({ auth, params }) => offers.stats(brandOf(auth), params.id),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/points-offers/:id',
    operationId: 'getPointsOffer',
    summary: 'One offer, whatever its status',
    tag,
    access: 'public',
    params: offerId,
    response: offerSchema,
    errors: [404],
    handler: ({ params }) => offers.get(params.id),
  });
  routes.add({
    method: 'post',
    path: '/v1/campaigns/points-offers/:id/airdrop',
    operationId: 'airdropPointsOffer',
    summary:
      'Convert for every opted-in member with enough points, within budget and limits, as a job',
    tag,
    access: ['brand'],
    params: offerId,
    status: 202,
    response: airdropAcceptedSchema,
    errors: [403, 404, 429],
    handler: async ({ auth, params }) => {
      await quotas.count(auth, 'airdropsPerHour');
      return airdrops.start(auth!, params.id);
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/points/conversions',
    operationId: 'createPointsConversion',
    summary:
      "Turn points into one of an offer's coupons: 409 at once when the request shows it cannot succeed, else 202 and a job settles it",
    tag,
    access: ['member'],
    body: conversionBody,
    status: 202,
    response: conversionSchema,
    errors: [404, 429],
    handler: async ({ auth, body }) => {
      await limits.consume(LIMITS.conversionsPerUser, auth!.userId);
      return conversions.request(auth!.userId, body.offerId);
    },
  });
  routes.add({
    method: 'get',
    path: '/v1/points/conversions',
    operationId: 'listPointsConversions',
    summary: "The caller's own conversions, newest first",
    tag,
    access: 'signed-in',
    query: z.object({ limit: limitParam, cursor: cursorParam }),
    response: listOf(conversionSchema),
    handler: ({ auth, query }) => conversions.listMine(auth!.userId, query.cursor, query.limit),
  });
  routes.add({
    method: 'get',
    path: '/v1/points/conversions/:id',
    operationId: 'getPointsConversion',
    summary: 'A conversion: pending, completed with its coupon code, or failed with its reason',
    tag,
    access: 'signed-in',
    params: idParam('cnv'),
    response: conversionSchema,
    errors: [404],
    handler: ({ auth, params }) => conversions.get(auth!.userId, params.id),
  });
  routes.add({
    method: 'get',
    path: '/v1/jobs/:id',
    operationId: 'getJob',
    summary: "A background job's state and progress (airdrops), for its owner or an admin",
    tag: 'Jobs',
    access: 'signed-in',
    params: idParam('adr'),
    response: jobSchema,
    errors: [404],
    handler: ({ auth, params }) => airdrops.job(auth!, params.id),
  });
}
