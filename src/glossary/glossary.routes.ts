import { idParam, listOf } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import { rejectBody } from '../notes';
import {
  createExplanationBody,
  createTermBody,
  explanationModerationQuery,
  explanationSchema,
  listTermsQuery,
  termDetailSchema,
  termParam,
  termSchema,
  voteSchema,
} from './glossary.schema';
import type { GlossaryService } from './glossary.service';

const explanationId = idParam('gex');

export function glossaryRoutes(routes: ApiRoutes, glossary: GlossaryService): void {
  const tag = 'Glossary';
  routes.add({
    method: 'post',
    path: '/v1/glossary/terms',
    operationId: 'createGlossaryTerm',
    summary:
      'Add an untranslated hot word (躺平, 绝绝子); 409 term_exists when it is there already, whatever its width, case or spacing',
    tag,
    access: ['member'],
    body: createTermBody,
    status: 201,
    response: termSchema,
    errors: [409],
    handler: ({ auth, body }) => glossary.createTerm(auth!.userId, body),
  });
  routes.add({
    method: 'get',
    path: '/v1/glossary/terms',
    operationId: 'listGlossaryTerms',
    summary: 'Glossary terms, newest first; `q` finds terms containing it',
    tag,
    access: 'public',
    query: listTermsQuery,
    response: listOf(termSchema),
    handler: ({ query }) => glossary.listTerms(query),
  });
  routes.add({
    method: 'get',
    path: '/v1/glossary/terms/:term',
    operationId: 'getGlossaryTerm',
    summary:
      'A term (URL-encoded, matched like a new term) with its explanations, best voted first',
    tag,
    access: 'public',
    params: termParam,
    response: termDetailSchema,
    errors: [404],
    handler: ({ auth, params }) => glossary.getTerm(params.term, auth),
  });
  routes.add({
    method: 'post',
    path: '/v1/glossary/terms/:term/explanations',
    operationId: 'createGlossaryExplanation',
    summary:
      'Explain a term in your language; it passes the cultural buffer like a note, and once published earns you the cross-cultural note points',
    tag,
    access: ['member'],
    params: termParam,
    body: createExplanationBody,
    status: 201,
    response: explanationSchema,
    errors: [404, 409],
    handler: ({ auth, params, body }) => glossary.explain(auth!, params.term, body),
  });
  routes.add({
    method: 'post',
    path: '/v1/glossary/explanations/:id/votes',
    operationId: 'voteGlossaryExplanation',
    summary:
      'Vote for a published explanation (not your own); once per member, again changes nothing',
    tag,
    access: ['member'],
    params: explanationId,
    response: voteSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => glossary.vote(auth!.userId, params.id),
  });
  routes.add({
    method: 'delete',
    path: '/v1/glossary/explanations/:id/votes',
    operationId: 'unvoteGlossaryExplanation',
    summary: 'Withdraw your vote',
    tag,
    access: ['member'],
    params: explanationId,
    response: voteSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => glossary.unvote(auth!.userId, params.id),
  });

  const moderation = 'Moderation';
  routes.add({
    method: 'get',
    path: '/v1/moderation/glossary/explanations',
    operationId: 'listModerationGlossaryExplanations',
    summary:
      'Glossary explanations by status (pending_review by default), newest first; a moderator with regions sees only explanations by authors from those countries',
    tag: moderation,
    access: ['moderator', 'admin'],
    query: explanationModerationQuery,
    response: listOf(explanationSchema),
    handler: ({ auth, query }) =>
      glossary.listForModeration(auth!, query.status, query.cursor, query.limit),
  });
  routes.add({
    method: 'post',
    path: '/v1/moderation/glossary/explanations/:id/approve',
    operationId: 'approveGlossaryExplanation',
    summary: 'Publish an explanation held in the cultural buffer; it earns its author the points',
    tag: moderation,
    access: ['moderator', 'admin'],
    params: explanationId,
    response: explanationSchema,
    errors: [403, 404, 409],
    handler: ({ auth, params }) => glossary.approve(auth!, params.id),
  });
  routes.add({
    method: 'post',
    path: '/v1/moderation/glossary/explanations/:id/reject',
    operationId: 'rejectGlossaryExplanation',
    summary: 'Reject a pending or published explanation; what it earned is taken back',
    tag: moderation,
    access: ['moderator', 'admin'],
    params: explanationId,
    body: rejectBody,
    response: explanationSchema,
    errors: [403, 404, 409],
    handler: ({ auth, params, body }) => glossary.reject(auth!, params.id, body.reason),
  });
}
