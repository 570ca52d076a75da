import { z } from 'zod';
import { idValue, timezone } from '../../src/http/common-schemas';
import { isAnswerable } from './answer-normaliser';

const languageText = z
  .record(
    z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'keys are BCP 47 language tags'),
    z.string().trim().min(1).max(2000),
  )
  .refine((texts) => Object.keys(texts).length > 0, {
    message: 'give the text in at least one language',
  })
  .openapi({ example: { en: 'Which mountain…?', ja: 'どの山…？' } });

/** An answer made only of spaces and punctuation would normalise to "" and match nothing. */
const riddleAnswer = z.string().trim().min(1).max(200).refine(isAnswerable, {
  message: 'must contain a letter, a digit or an emoji once spaces and punctuation are ignored',
});

const hint = z.object({ afterHours: z.number().min(0).max(168), text: languageText }).strict();

/** A TEXT column holds 65,535 bytes: the question and the hints are stored as JSON in one each. */
const TEXT_COLUMN_BYTES = 65_535;
const storedBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

export const puzzleInput = z
  .object({
    question: languageText,
    answers: z.array(riddleAnswer).min(1).max(20),
    hints: z.array(hint).max(10).optional(),
  })
  .strict()
  .superRefine((puzzle, ctx) => {
    for (const field of ['question', 'hints'] as const) {
      if (puzzle[field] !== undefined && storedBytes(puzzle[field]) > TEXT_COLUMN_BYTES)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `must be at most ${TEXT_COLUMN_BYTES} bytes of UTF-8 in all languages together`,
        });
    }
  });

const startsAt = z.string().min(10).max(40).openapi({
  description: 'ISO 8601; without an offset it is a wall-clock time in `timezone`',
  example: '2026-12-01T20:00:00',
});

export const createDropBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    listingId: idValue,
    stock: z.number().int().min(1).max(100_000),
    startsAt,
    timezone,
    durationHours: z
      .number()
      .min(1 / 60)
      .max(168)
      .default(48),
    puzzle: puzzleInput,
    maxAttemptsPerUser: z.number().int().min(1).max(1000).default(10),
    perUserLimit: z.number().int().min(1).max(100).default(1),
    reservationMinutes: z.number().min(0.1).max(60).default(10),
  })
  .strict()
  .openapi('CreateDropRequest');
export type CreateDropInput = z.output<typeof createDropBody>;

export const patchDropBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    startsAt: startsAt.optional(),
    timezone: timezone.optional(),
    durationHours: z
      .number()
      .min(1 / 60)
      .max(168)
      .optional(),
    puzzle: puzzleInput.optional(),
    maxAttemptsPerUser: z.number().int().min(1).max(1000).optional(),
    perUserLimit: z.number().int().min(1).max(100).optional(),
    reservationMinutes: z.number().min(0.1).max(60).optional(),
  })
  .strict()
  .openapi('UpdateDropRequest');
export type PatchDropInput = z.output<typeof patchDropBody>;

export const DROP_STATUSES = ['scheduled', 'live', 'ended', 'canceled'] as const;
export type DropStatus = (typeof DROP_STATUSES)[number];

export const dropSchema = z
  .object({
    id: z.string(),
    brandId: z.string(),
    brandName: z.string().nullable(),
    listingId: z.string(),
    title: z.string(),
    stock: z.number(),
    status: z.enum(DROP_STATUSES),
    soldOut: z.boolean().openapi({
      description:
        'True while the drop is live and no unit is left to win; false again if a lapsed reservation gives a unit back',
    }),
    startsAt: z.string(),
    endsAt: z.string(),
    timezone: z.string(),
    durationHours: z.number(),
    puzzle: z.object({
      question: z.record(z.string(), z.string()),
      hints: z.array(z.object({ afterHours: z.number(), text: z.record(z.string(), z.string()) })),
    }),
    nextHintAt: z.string().nullable().openapi({
      description:
        'When the next hint this viewer cannot see yet unlocks (never its text); null when every hint is shown',
    }),
    maxAttemptsPerUser: z.number(),
    perUserLimit: z.number(),
    reservationMinutes: z.number(),
    createdAt: z.string(),
  })
  .openapi('Drop');
export type DropView = z.output<typeof dropSchema>;

export const attemptBody = z
  .object({ answer: z.string().max(500) })
  .strict()
  .openapi('DropAttemptRequest');

export const attemptResultSchema = z
  .union([
    z.object({
      correct: z.literal(true),
      reservation: z.object({ token: z.string(), expiresAt: z.string(), purchaseUrl: z.string() }),
    }),
    z.object({ correct: z.literal(false), attemptsLeft: z.number() }),
  ])
  .openapi('DropAttemptResult');

export const memberDropStateSchema = z
  .object({
    dropId: z.string(),
    attemptsLeft: z.number().openapi({
      description: 'maxAttemptsPerUser minus the wrong answers this member has given',
    }),
    unitsHeld: z.number().openapi({
      description: 'Units this member holds: reservations not yet lapsed, and bought ones',
    }),
    limitReached: z.boolean().openapi({ description: 'unitsHeld has reached perUserLimit' }),
    reservations: z
      .array(
        z.object({
          expiresAt: z.string(),
          purchaseUrl: z.string().nullable().openapi({
            description:
              'As the winning attempt gave it; null if the service no longer has it (buy within expiresAt)',
          }),
        }),
      )
      .openapi({ description: 'Units won and not yet bought nor lapsed, oldest first' }),
  })
  .openapi('DropMemberState');

export const ACTIVITY_BUCKETS = ['minute', 'hour'] as const;

export const statsSchema = z
  .object({
    attempts: z.number(),
    participants: z.number(),
    solves: z.number(),
    reservations: z.number(),
    purchases: z.number(),
    unitsSold: z.number(),
    revenueAmount: z.number().openapi({
      description:
        'Net: what paid orders of the drop charged after discounts, minus refunds (minor units)',
    }),
    grossAmount: z.number().openapi({ description: 'Paid orders of the drop before discounts' }),
    discountAmount: z.number().openapi({ description: 'Discounts (coupons) on those orders' }),
    refundedAmount: z.number().openapi({ description: 'Refunded from those orders so far' }),
    currency: z.string(),
    stockLeft: z.number(),
    conversionRate: z.number(),
    activity: z
      .object({
        bucket: z.enum(ACTIVITY_BUCKETS),
        points: z.array(
          z.object({
            at: z.string().openapi({ description: "The bucket's start (UTC)" }),
            attempts: z.number(),
            solves: z.number(),
          }),
        ),
      })
      .optional()
      .openapi({
        description:
          'With `?bucket=`: attempts and solves per minute or hour, oldest first; buckets without any attempt are left out. Kept 7 days after the drop ends (the totals above stay).',
      }),
  })
  .openapi('DropStats');

export const statsQuery = z.object({ bucket: z.enum(ACTIVITY_BUCKETS).optional() });
export type MemberDropState = z.output<typeof memberDropStateSchema>;
