import { idParam, listOf } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import type { Clock } from '../clock';
import type { NoteModeration } from './moderation.service';
import { moderatorSchema, policyBody, policySchema, regionsBody } from './moderation.schema';
import type { ModerationPolicies } from './moderation-policy';
import type { ModeratorRegions } from './moderator-regions';
import { moderationQuery, noteSchema, rejectBody, type NoteView } from './notes.schema';

export interface ModerationParts {
  moderation: NoteModeration;
  policies: ModerationPolicies;
  regions: ModeratorRegions;
  /** Notes as every route shows them (photos' variants, glossary terms). */
  present: (notes: NoteView[]) => Promise<object[]>;
  clock: Clock;
}

const noteId = idParam('nte');
const userId = idParam('usr');

/** The cultural buffer: its queue, its policy and who decides for which countries. */
export function moderationRoutes(routes: ApiRoutes, parts: ModerationParts): void {
  const { moderation, policies, regions, present } = parts;
  const one = async (note: Promise<NoteView>) => (await present([await note]))[0];
  const tag = 'Moderation';
  routes.add({
    method: 'get',
    path: '/v1/moderation/notes',
    operationId: 'listModerationNotes',
    summary:
      'Notes by status (pending_review by default), newest first; a moderator with regions sees only notes of authors from those countries',
    tag,
    access: ['moderator', 'admin'],
    query: moderationQuery,
    response: listOf(noteSchema),
    handler: async ({ auth, query }) => {
      const { data, nextCursor } = await moderation.list(
        auth!,
        query.status,
        query.cursor,
        query.limit,
      );
      return { data: await present(data), nextCursor };
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/moderation/notes/:id/approve',
    operationId: 'approveNote',
    summary: 'Publish a note held in the cultural buffer; it starts earning',
    tag,
    access: ['moderator', 'admin'],
    params: noteId,
    response: noteSchema,
    errors: [404],
    handler: ({ auth, params }) => one(moderation.approve(auth!, params.id)),
  });
  routes.add({
    method: 'post',
    path: '/v1/moderation/notes/:id/reject',
    operationId: 'rejectNote',
    summary: 'Reject a pending or published note; everything it earned is taken back',
    tag,
    access: ['moderator', 'admin'],
    params: noteId,
    body: rejectBody,
    response: noteSchema,
    errors: [404],
    handler: ({ auth, params, body }) => one(moderation.reject(auth!, params.id, body.reason)),
  });
  routes.add({
    method: 'get',
    path: '/v1/moderation/policy',
    operationId: 'getModerationPolicy',
    summary: 'The cultural buffer’s policy: which countries and tags hold a note for review',
    tag,
    access: ['admin'],
    response: policySchema,
    handler: () => policies.get(),
  });
  routes.add({
    method: 'put',
    path: '/v1/moderation/policy',
    operationId: 'updateModerationPolicy',
    summary:
      'Replace the policy; every note posted after the answer, to any process, is held by it (no restart)',
    tag,
    access: ['admin'],
    body: policyBody,
    response: policySchema,
    handler: ({ auth, body }) => policies.replace(body, auth!.userId, parts.clock.now().toJSDate()),
  });
  routes.add({
    method: 'get',
    path: '/v1/admin/moderators',
    operationId: 'listModerators',
    summary: 'Every moderator with the regions they decide for (empty: all countries)',
    tag,
    access: ['admin'],
    response: listOf(moderatorSchema),
    handler: async () => ({ data: await regions.list(), nextCursor: null }),
  });
  routes.add({
    method: 'put',
    path: '/v1/admin/moderators/:id/regions',
    operationId: 'updateModeratorRegions',
    summary:
      'Set the authors’ countries a moderator sees and decides in the buffer; [] lifts the limit',
    tag,
    access: ['admin'],
    params: userId,
    body: regionsBody,
    response: moderatorSchema,
    errors: [404],
    handler: ({ params, body }) => regions.assign(params.id, body.regions),
  });
}
