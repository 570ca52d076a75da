import { idParam, listOf } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import type { TermsOnNotes } from '../glossary';
import type { MediaLinks } from '../media';
import {
  createNoteBody,
  likeSchema,
  listNotesQuery,
  noteSchema,
  syncNotesBody,
  syncResultSchema,
  type NoteView,
} from './notes.schema';
import type { NotesService } from './notes.service';

const noteId = idParam('nte');

export function notesRoutes(
  routes: ApiRoutes,
  notes: NotesService,
  media: MediaLinks,
  terms: TermsOnNotes,
): void {
  // Every note answered carries its photos' variants and the glossary terms it contains.
  const one = async (note: Promise<NoteView>) =>
    terms.annotateOne(await media.presentOne(await note));
  const page = async (list: Promise<{ data: NoteView[]; nextCursor: string | null }>) => {
    const { data, nextCursor } = await list;
    return { data: await terms.annotate(await media.present(data)), nextCursor };
  };
  const tag = 'Notes';
  routes.add({
    method: 'post',
    path: '/v1/notes',
    operationId: 'createNote',
    summary:
      'Post a note; the same clientId again answers 200 with the note already made, nothing duplicated',
    tag,
    access: ['member'],
    body: createNoteBody,
    status: 201,
    response: noteSchema,
    handler: async ({ auth, body, res }) => {
      const { note, created } = await notes.create(auth!, body);
      const shown = await one(Promise.resolve(note));
      if (!created) res.status(200).json(shown);
      return shown;
    },
  });
  routes.add({
    method: 'post',
    path: '/v1/notes/sync',
    operationId: 'syncNotes',
    summary:
      'Up to 100 notes written offline; edits carry baseVersion, a stale one is a conflict for that note only',
    tag,
    access: ['member'],
    body: syncNotesBody,
    response: syncResultSchema,
    handler: async ({ auth, body }) => ({ results: await notes.sync(auth!, body.notes) }),
  });
  routes.add({
    method: 'get',
    path: '/v1/notes',
    operationId: 'listNotes',
    summary:
      'Published notes, newest first, by author or culture tag; `q` searches title and body in any language',
    tag,
    access: 'public',
    query: listNotesQuery,
    response: listOf(noteSchema),
    handler: ({ auth, query }) => page(notes.list(query, auth)),
  });
  routes.add({
    method: 'get',
    path: '/v1/notes/:id',
    operationId: 'getNote',
    summary: 'One note (notes under review or rejected: their author and moderators only)',
    tag,
    access: 'public',
    params: noteId,
    response: noteSchema,
    errors: [404],
    handler: ({ auth, params }) => one(notes.get(params.id, auth)),
  });
  routes.add({
    method: 'delete',
    path: '/v1/notes/:id',
    operationId: 'deleteNote',
    summary: 'Delete your note; the points it earned are taken back',
    tag,
    access: ['member'],
    params: noteId,
    response: noteSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => one(notes.delete(auth!, params.id)),
  });
  routes.add({
    method: 'post',
    path: '/v1/notes/:id/likes',
    operationId: 'likeNote',
    summary: 'Like a note (not your own); it earns the author 2 points, at most 100 a note',
    tag,
    access: ['member'],
    params: noteId,
    response: likeSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => notes.like(auth!.userId, params.id),
  });
  routes.add({
    method: 'delete',
    path: '/v1/notes/:id/likes',
    operationId: 'unlikeNote',
    summary: 'Remove your like; the points it earned are taken back',
    tag,
    access: ['member'],
    params: noteId,
    response: likeSchema,
    errors: [403, 404],
    handler: ({ auth, params }) => notes.unlike(auth!.userId, params.id),
  });
}
