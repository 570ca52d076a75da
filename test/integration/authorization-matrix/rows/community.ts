import { randomBytes } from 'node:crypto';
import { noteBody, REVIEW_TAG } from '../bodies';
import { everyone, only, type Row, signedIn } from '../table';
import {
  freshNote,
  freshPendingExplanation,
  freshPendingNote,
  freshTerm,
  fx,
  termPath,
  users,
} from '../world';

/** Notes and the glossary. */
export const communityRows: Row[] = [
  // Notes: a note under review is visible to its author and moderators only (404 to others).
  {
    method: 'POST',
    path: '/v1/notes',
    expected: signedIn(201),
    target: () => ({ url: '/v1/notes', body: noteBody() }),
  },
  {
    method: 'POST',
    path: '/v1/notes/sync',
    expected: signedIn(200),
    target: () => ({ url: '/v1/notes/sync', body: { notes: [noteBody()] } }),
  },
  {
    method: 'GET',
    path: '/v1/notes',
    expected: everyone(200),
    target: () => ({ url: '/v1/notes' }),
  },
  {
    method: 'GET',
    path: '/v1/feed',
    expected: everyone(200),
    target: () => ({ url: '/v1/feed' }),
  },
  {
    method: 'GET',
    path: '/v1/notes/{id}',
    variant: 'published note',
    expected: everyone(200),
    target: () => ({ url: `/v1/notes/${fx.note}` }),
  },
  {
    method: 'GET',
    path: '/v1/notes/{id}',
    variant: 'note under review',
    // A public route: anonymous is not asked to sign in, the note just does not exist for them.
    expected: { ...everyone(404), member: 200, moderator: 200, admin: 200 },
    target: () => ({ url: `/v1/notes/${fx.pendingNote}` }),
  },
  {
    method: 'DELETE',
    path: '/v1/notes/{id}',
    expected: only({ member: 200 }),
    target: async (as) => ({ url: `/v1/notes/${as === 'member' ? await freshNote() : fx.note}` }),
  },
  {
    method: 'DELETE',
    path: '/v1/notes/{id}',
    variant: 'note under review',
    // Those who may see it (author, moderators) learn 200/403; to anyone else it does not exist.
    expected: only({ member: 200, moderator: 403, admin: 403 }, 404),
    target: async (as) => ({
      url: `/v1/notes/${as === 'member' ? await freshPendingNote() : fx.pendingNote}`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/notes/{id}/likes',
    // Any member but its author, who gets 403.
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/notes/${fx.note}/likes` }),
  },
  {
    method: 'DELETE',
    path: '/v1/notes/{id}/likes',
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/notes/${fx.note}/likes` }),
  },
  {
    method: 'GET',
    path: '/v1/moderation/notes',
    expected: only({ moderator: 200, admin: 200 }),
    target: () => ({ url: '/v1/moderation/notes?status=pending_review' }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/notes/{id}/approve',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/notes/${as === 'moderator' || as === 'admin' ? await freshPendingNote() : fx.pendingNote}/approve`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/notes/{id}/reject',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/notes/${as === 'moderator' || as === 'admin' ? await freshPendingNote() : fx.pendingNote}/reject`,
      body: { reason: 'Off topic' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/moderation/policy',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/v1/moderation/policy' }),
  },
  {
    method: 'PUT',
    path: '/v1/moderation/policy',
    expected: only({ admin: 200 }),
    // The policy the other rows hold notes by, set again.
    target: () => ({ url: '/v1/moderation/policy', body: { countries: [], tags: [REVIEW_TAG] } }),
  },
  {
    method: 'GET',
    path: '/v1/admin/moderators',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/v1/admin/moderators' }),
  },
  {
    method: 'PUT',
    path: '/v1/admin/moderators/{id}/regions',
    expected: only({ admin: 200 }),
    // Every country, as before: the moderator's other rows still decide any note.
    target: () => ({
      url: `/v1/admin/moderators/${users.moderator.id}/regions`,
      body: { regions: [] },
    }),
  },

  // Glossary: member wrote the explanations; a held one is seen by moderators only.
  {
    method: 'POST',
    path: '/v1/glossary/terms',
    expected: signedIn(201),
    target: () => ({
      url: '/v1/glossary/terms',
      body: { term: `matrix ${randomBytes(4).toString('hex')}`, language: 'en' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/glossary/terms',
    expected: everyone(200),
    target: () => ({ url: '/v1/glossary/terms?q=matrix' }),
  },
  {
    method: 'GET',
    path: '/v1/glossary/terms/{term}',
    expected: everyone(200),
    target: () => ({ url: termPath(fx.glossaryTerm) }),
  },
  {
    method: 'POST',
    path: '/v1/glossary/terms/{term}/explanations',
    expected: signedIn(201),
    target: async (as) => ({
      url: `${termPath(as === 'anonymous' ? fx.glossaryTerm : await freshTerm())}/explanations`,
      body: { language: 'en', text: 'What it means.' },
    }),
  },
  {
    method: 'POST',
    path: '/v1/glossary/explanations/{id}/votes',
    // Any member but its author, who gets 403.
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/glossary/explanations/${fx.explanation}/votes` }),
  },
  {
    method: 'DELETE',
    path: '/v1/glossary/explanations/{id}/votes',
    expected: { ...signedIn(200), member: 403 },
    target: () => ({ url: `/v1/glossary/explanations/${fx.explanation}/votes` }),
  },
  {
    method: 'GET',
    path: '/v1/moderation/glossary/explanations',
    expected: only({ moderator: 200, admin: 200 }),
    target: () => ({ url: '/v1/moderation/glossary/explanations' }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/glossary/explanations/{id}/approve',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/glossary/explanations/${as === 'moderator' || as === 'admin' ? await freshPendingExplanation() : fx.pendingExplanation}/approve`,
    }),
  },
  {
    method: 'POST',
    path: '/v1/moderation/glossary/explanations/{id}/reject',
    expected: only({ moderator: 200, admin: 200 }),
    target: async (as) => ({
      url: `/v1/moderation/glossary/explanations/${as === 'moderator' || as === 'admin' ? await freshPendingExplanation() : fx.pendingExplanation}/reject`,
      body: { reason: 'Off topic' },
    }),
  },
];
