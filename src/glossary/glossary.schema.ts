import { z } from 'zod';
import { cursorParam, limitParam } from '../http/common-schemas';
import { languageTag } from '../notes';
import { termKey } from './term-key';

export const EXPLANATION_STATUSES = ['published', 'pending_review', 'rejected'] as const;
export type ExplanationStatus = (typeof EXPLANATION_STATUSES)[number];

/** Checked once folded too: what is kept of a term (letters, digits) must not be empty. */
const termText = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .refine((term) => termKey(term).length > 0, {
    message: 'must contain a letter or a digit',
  })
  .refine((term) => termKey(term).length <= 50, {
    message: 'must be at most 50 characters once normalised',
  })
  .openapi({ type: 'string', example: '躺平' });

export const createTermBody = z
  .object({
    term: termText,
    language: languageTag.openapi({
      description: 'The language the term comes from',
      example: 'zh',
    }),
  })
  .strict()
  .openapi('CreateGlossaryTermRequest');
export type CreateTermInput = z.output<typeof createTermBody>;

export const termParam = z.object({ term: termText });

export const listTermsQuery = z.object({
  q: z.string().trim().max(50).optional().openapi({
    description:
      'Part of the term, ignoring case, width, spaces and punctuation (`躺 平` finds 躺平)',
  }),
  limit: limitParam,
  cursor: cursorParam,
});
export type ListTermsQuery = z.output<typeof listTermsQuery>;

export const createExplanationBody = z
  .object({
    language: languageTag.openapi({ description: 'The language the explanation is written in' }),
    text: z.string().trim().min(1).max(2000),
  })
  .strict()
  .openapi('CreateGlossaryExplanationRequest');
export type CreateExplanationInput = z.output<typeof createExplanationBody>;

export const explanationSchema = z
  .object({
    id: z.string(),
    term: z.string(),
    authorId: z.string(),
    authorName: z.string().nullable(),
    language: z.string(),
    text: z.string(),
    status: z.enum(EXPLANATION_STATUSES),
    voteCount: z.number().int(),
    votedByMe: z.boolean().openapi({ description: 'Signed in: whether you voted for it' }),
    rejectReason: z.string().nullable(),
    publishedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('GlossaryExplanation');
export type ExplanationView = z.output<typeof explanationSchema>;

const termFields = {
  id: z.string(),
  term: z.string(),
  language: z.string(),
  explanationCount: z.number().int().openapi({ description: 'Published explanations' }),
  createdAt: z.string(),
};

export const termSchema = z.object(termFields).openapi('GlossaryTerm');
export type TermView = z.output<typeof termSchema>;

export const termDetailSchema = z
  .object({
    ...termFields,
    explanations: z.array(explanationSchema).openapi({
      description:
        'Published explanations, most votes first (ties: oldest first); signed in, your own under review or rejected too',
    }),
  })
  .openapi('GlossaryTermDetail');
export type TermDetailView = z.output<typeof termDetailSchema>;

export const voteSchema = z
  .object({ explanationId: z.string(), voted: z.boolean(), voteCount: z.number().int() })
  .openapi('GlossaryVote');
export type VoteView = z.output<typeof voteSchema>;

export const explanationModerationQuery = z.object({
  status: z.enum(EXPLANATION_STATUSES).default('pending_review'),
  limit: limitParam,
  cursor: cursorParam,
});
