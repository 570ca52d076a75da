import { z } from 'zod';
import { cursorParam, idParam, idValue, limitParam, listOf } from '../../src/http/common-schemas';
import type { ApiRoutes } from '../../src/http/route';
import type { BrandQuotas } from '../quotas';
import {
  attemptBody,
  attemptResultSchema,
  createDropBody,
  dropSchema,
  DROP_STATUSES,
  memberDropStateSchema,
  patchDropBody,
  statsQuery,
  statsSchema,
} from './drops.schema';
import type { DropsService } from './drops.service';

const dropId = idParam('drp');

export function dropsRoutes(routes: ApiRoutes, drops: DropsService, quotas: BrandQuotas): void {
  const tag = 'Puzzle drops';
  routes.add({
    method: 'post',
    path: '/v1/campaigns/drops',
    operationId: 'createDrop',
    summary: "Schedule a drop of the brand's own listing; its stock is set aside at once",
    tag,
    access: ['brand'],
    body: createDropBody,
    status: 201,
    response: dropSchema,
    errors: [404, 429],
    handler: async ({ auth, body }) => {
      await quotas.count(auth, 'dropsPerDay');
      return drops.create(auth!, body);
    },
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/drops',
    operationId: 'listDrops',
    summary: 'Drops, newest first (no answers; hints once unlocked)',
    tag,
    access: 'public',
    query: z.object({
      status: z.enum(DROP_STATUSES).optional(),
      brandId: idValue.optional(),
      limit: limitParam,
      cursor: cursorParam,
    }),
    response: listOf(dropSchema),
    handler: ({ query }) => drops.list(query),
  });
  routes.add({
    method: 'get',
    path: '/v1/brands/me/drops',
    operationId: 'listMyDrops',
    summary: "The brand's own drops, canceled ones included, newest first",
    tag,
    access: ['brand'],
    query: z.object({
      status: z.enum(DROP_STATUSES).optional(),
      limit: limitParam,
      cursor: cursorParam,
    }),
    response: listOf(dropSchema),
    handler: ({ auth, query }) => drops.listOwn(auth!, query),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/drops/:id',
    operationId: 'getDrop',
    summary: 'One drop (no answers; hints once unlocked, all of them for its brand)',
    tag,
    access: 'public',
    params: dropId,
    response: dropSchema,
    errors: [404],
    handler: ({ auth, params }) => drops.get(params.id, auth),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/drops/:id/me',
    operationId: 'getMyDropState',
    summary:
      "The signed-in member's standing in a drop: attempts left, units held, reservations to buy",
    tag,
    access: 'signed-in',
    params: dropId,
    response: memberDropStateSchema,
    errors: [404],
    handler: ({ auth, params }) => drops.memberState(params.id, auth!),
  });
  routes.add({
    method: 'patch',
    path: '/v1/campaigns/drops/:id',
    operationId: 'updateDrop',
    summary: 'Change a scheduled drop; its jobs are rescheduled',
    tag,
    access: ['brand'],
    params: dropId,
    body: patchDropBody,
    response: dropSchema,
    errors: [404, 409],
    handler: ({ auth, params, body }) => drops.patch(auth!, params.id, body),
  });
  routes.add({
    method: 'post',
    path: '/v1/campaigns/drops/:id/cancel',
    operationId: 'cancelDrop',
    summary: 'Cancel a scheduled or live drop; unsold units go back to the listing',
    tag,
    access: ['brand'],
    params: dropId,
    response: dropSchema,
    errors: [404],
    handler: ({ auth, params }) => drops.cancel(auth!, params.id),
  });
  routes.add({
    method: 'post',
    path: '/v1/campaigns/drops/:id/attempts',
    operationId: 'createDropAttempt',
    summary: "Answer the drop's riddle; a correct answer reserves a unit",
    tag,
    access: 'signed-in',
    params: dropId,
    body: attemptBody,
    response: attemptResultSchema,
    errors: [403, 404, 409, 429],
    // The opening burst: served outside Express when plain (src/http/hot-routes.ts).
    hot: true,
    handler: ({ auth, params, body }) => drops.attempt(params.id, auth!.userId, body.answer),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/drops/:id/stats',
    operationId: 'getDropStats',
    summary: "The drop's funnel, for the brand that runs it",
    tag,
    access: ['brand'],
    params: dropId,
    query: statsQuery,
    response: statsSchema,
    errors: [404],
    handler: ({ auth, params, query }) => drops.stats(auth!, params.id, query.bucket),
  });
}
