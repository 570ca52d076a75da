import { z } from 'zod';
import { cursorParam, idValue, isoDateTime, limitParam } from '../http/common-schemas';
import { glossaryTermRefSchema } from './glossary-term-ref.schema';
import { imageRef, mediaSchema } from '../media';
import { normaliseTag } from './note-rules';

export const NOTE_STATUSES = ['published', 'pending_review', 'rejected', 'deleted'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

/** A BCP 47 language tag, canonicalised (`pt-br` -> `pt-BR`). */
export const languageTag = z
  .string()
  .max(35)
  .transform((value, ctx) => {
    try {
      const [canonical] = Intl.getCanonicalLocales(value);
      if (canonical) return canonical;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag, e.g. ja or pt-BR' });
    return z.NEVER;
  })
  .refine((canonical) => canonical.length <= 35, {
    message: 'must be at most 35 characters in its canonical form',
  })
  .openapi({ type: 'string', example: 'ja' });

/** Checked after normalising too: NFKC can lengthen a tag (㍿ becomes 株式会社). */
export const cultureTag = z
  .string()
  .max(50)
  .transform(normaliseTag)
  .refine((tag) => tag.length > 0 && tag.length <= 50, {
    message: 'must be 1 to 50 characters once normalised',
  })
  .openapi({ type: 'string', example: 'matsuri' });

export const noteFields = {
  clientId: z
    .uuid({ message: 'must be a UUID made by the client' })
    .transform((v) => v.toLowerCase()),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(20_000),
  languages: z
    .array(languageTag)
    .min(1)
    .max(10)
    .transform((tags) => [...new Set(tags)]),
  cultureTags: z
    .array(cultureTag)
    .max(20)
    .default([])
    .transform((tags) => [...new Set(tags)]),
  images: z.array(imageRef).max(10).default([]),
  listingIds: z
    .array(idValue)
    .max(5)
    .default([])
    .transform((ids) => [...new Set(ids)])
    .openapi({
      description:
        'Listings on sale that the note links (at most 5); buying through them credits the note',
    }),
  writtenAt: isoDateTime.optional(),
};

export const createNoteBody = z.object(noteFields).strict().openapi('CreateNoteRequest');
export type CreateNoteInput = z.output<typeof createNoteBody>;

const syncedNote = z
  .object({
    ...noteFields,
    /** The version the offline edit was made on; absent for a note created offline. */
    baseVersion: z.number().int().min(1).optional(),
  })
  .strict();
export type SyncedNoteInput = z.output<typeof syncedNote>;

export const syncNotesBody = z
  .object({
    notes: z
      .array(syncedNote)
      .min(1)
      .max(100)
      .superRefine((notes, ctx) => {
        const seen = new Set<string>();
        notes.forEach((note, index) => {
          if (seen.has(note.clientId))
            ctx.addIssue({
              code: 'custom',
              message: 'each clientId may appear once per sync',
              path: [index, 'clientId'],
            });
          seen.add(note.clientId);
        });
      }),
  })
  .strict()
  .openapi('SyncNotesRequest');

export const noteSchema = z
  .object({
    id: z.string(),
    clientId: z.string(),
    authorId: z.string(),
    authorName: z.string().nullable().openapi({ description: "The author's display name" }),
    title: z.string(),
    body: z.string(),
    languages: z.array(z.string()),
    cultureTags: z.array(z.string()),
    images: z.array(z.string()).openapi({
      description: "Image URLs; an uploaded photo's is its medium variant",
    }),
    media: z.array(mediaSchema).openapi({
      description: 'The uploaded photos among `images`, in order, with their variants',
    }),
    listingIds: z.array(z.string()).openapi({ description: 'The listings the note links' }),
    glossaryTerms: z.array(glossaryTermRefSchema).openapi({
      description:
        'Glossary terms (with a published explanation) that the title or body contains, ignoring case, width, spacing and punctuation',
    }),
    writtenAt: z.string().nullable(),
    status: z.enum(NOTE_STATUSES),
    version: z.number().int(),
    likeCount: z.number().int(),
    crossCultural: z.boolean(),
    rejectReason: z.string().nullable(),
    publishedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Note');
/** A note as the service answers it; the routes add its photos' `media` and its `glossaryTerms`. */
export type NoteView = Omit<z.output<typeof noteSchema>, 'media' | 'glossaryTerms'>;

export const syncResultSchema = z
  .object({
    results: z.array(
      z.object({
        clientId: z.string(),
        id: z.string().nullable(),
        status: z.enum(NOTE_STATUSES).nullable(),
        version: z.number().int().nullable(),
        conflict: z
          .object({
            code: z.enum(['stale_version', 'note_closed', 'unknown_note']),
            message: z.string(),
            currentVersion: z.number().int().nullable(),
          })
          .optional(),
      }),
    ),
  })
  .openapi('SyncNotesResult');
export type SyncResult = z.output<typeof syncResultSchema>['results'][number];

export const listNotesQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({
    description:
      'Words of the title or body (any language, CJK included); the last may be a prefix. A q with no letter or digit matches nothing. Signed in, your own notes under review are found too.',
  }),
  authorId: idValue.optional(),
  tag: cultureTag.optional(),
  limit: limitParam,
  cursor: cursorParam,
});
export type ListNotesQuery = z.output<typeof listNotesQuery>;

export const moderationQuery = z.object({
  status: z.enum(['pending_review', 'published', 'rejected']).default('pending_review'),
  limit: limitParam,
  cursor: cursorParam,
});

export const rejectBody = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .openapi('RejectNoteRequest');

export const likeSchema = z
  .object({ noteId: z.string(), liked: z.boolean(), likeCount: z.number().int() })
  .openapi('NoteLike');
export type LikeView = z.output<typeof likeSchema>;
