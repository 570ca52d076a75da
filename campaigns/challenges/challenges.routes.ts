import { idParam, listOf } from '../../src/http/common-schemas';
import { AppError } from '../../src/http/app-error';
import type { AuthContext } from '../../src/http/auth-context';
import type { ApiRoutes } from '../../src/http/route';
import {
  challengeDetailSchema,
  challengeSchema,
  createChallengeBody,
  listChallengesQuery,
  participationSchema,
} from './challenges.schema';
import type { ChallengesService } from './challenges.service';

const challengeId = idParam('chl');

function brandOf(auth: AuthContext | undefined): string {
  if (!auth?.brandId) throw AppError.forbidden('Only brand accounts run challenges.');
  return auth.brandId;
}

export function challengesRoutes(routes: ApiRoutes, challenges: ChallengesService): void {
  const tag = 'Challenges';
  routes.add({
    method: 'post',
    path: '/v1/campaigns/challenges',
    operationId: 'createChallenge',
    summary:
      'Invite up to maxParticipants members to write about a tag; each earns bonusPoints once for an entry',
    tag,
    access: ['brand'],
    body: createChallengeBody,
    status: 201,
    response: challengeSchema,
    handler: ({ auth, body }) => challenges.create(brandOf(auth), body),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/challenges',
    operationId: 'listChallenges',
    summary: 'Challenges, newest first: scheduled and open ones unless `status` says otherwise',
    tag,
    access: 'public',
    query: listChallengesQuery,
    response: listOf(challengeSchema),
    handler: ({ query }) => challenges.list(query),
  });
  routes.add({
    method: 'get',
    path: '/v1/campaigns/challenges/:id',
    operationId: 'getChallenge',
    summary: 'A challenge with its participants and entries',
    tag,
    access: 'public',
    params: challengeId,
    response: challengeDetailSchema,
    errors: [404],
    handler: ({ auth, params }) => challenges.get(params.id, auth),
  });
  routes.add({
    method: 'post',
    path: '/v1/campaigns/challenges/:id/join',
    operationId: 'joinChallenge',
    summary:
      'Take part (409 challenge_full past maxParticipants, challenge_ended after endsAt); joining again answers your seat',
    tag,
    access: ['member'],
    params: challengeId,
    response: participationSchema,
    errors: [403, 404, 409],
    handler: ({ auth, params }) => challenges.join(auth!, params.id),
  });
}
