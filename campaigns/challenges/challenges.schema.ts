import { z } from 'zod';
import { cursorParam, idValue, isoDateTime, limitParam } from '../../src/http/common-schemas';
import { cultureTag } from '../../src/notes';

/** At most what a member may earn in a day: a bigger bonus could never be paid in full. */
export const MAX_BONUS_POINTS = 200;
export const MAX_PARTICIPANTS = 10_000;

export const createChallengeBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    tag: cultureTag.openapi({
      description: 'The culture tag entries carry (normalised like a note tag)',
    }),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    maxParticipants: z.number().int().min(1).max(MAX_PARTICIPANTS),
    bonusPoints: z
      .number()
      .int()
      .min(1)
      .max(MAX_BONUS_POINTS)
      .openapi({ description: 'Earned once per participant, within the daily points cap' }),
  })
  .strict()
  .refine((body) => new Date(body.endsAt).getTime() > new Date(body.startsAt).getTime(), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  })
  .openapi('CreateChallengeRequest');
export type CreateChallengeInput = z.output<typeof createChallengeBody>;

export const CHALLENGE_STATUSES = ['scheduled', 'open', 'ended'] as const;

const challengeFields = {
  id: z.string(),
  brandId: z.string(),
  brandName: z.string().nullable(),
  title: z.string(),
  tag: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(CHALLENGE_STATUSES).openapi({
    description: 'scheduled before startsAt, open until endsAt, then ended',
  }),
  maxParticipants: z.number().int(),
  participantCount: z.number().int(),
  bonusPoints: z.number().int(),
  createdAt: z.string(),
};

export const challengeSchema = z.object(challengeFields).openapi('Challenge');
export type ChallengeView = z.output<typeof challengeSchema>;

export const participantSchema = z
  .object({
    memberId: z.string(),
    displayName: z.string().nullable(),
    joinedAt: z.string(),
    bonusEarned: z.boolean(),
  })
  .openapi('ChallengeParticipant');

export const entrySchema = z
  .object({
    noteId: z.string(),
    authorId: z.string(),
    authorName: z.string().nullable(),
    title: z.string(),
    publishedAt: z.string(),
  })
  .openapi('ChallengeEntry');

export const challengeDetailSchema = z
  .object({
    ...challengeFields,
    participants: z.array(participantSchema).openapi({
      description: 'In the order they joined (the first 100)',
    }),
    entries: z.array(entrySchema).openapi({
      description:
        "Participants' published notes carrying the tag, published after they joined and within the challenge's window, newest first (the latest 50)",
    }),
    entryCount: z.number().int(),
    me: z
      .object({ joinedAt: z.string(), bonusEarned: z.boolean(), bonusPoints: z.number().int() })
      .nullable()
      .openapi({ description: 'Signed in and taking part: your participation, else null' }),
  })
  .openapi('ChallengeDetail');
export type ChallengeDetailView = z.output<typeof challengeDetailSchema>;

export const participationSchema = z
  .object({
    challengeId: z.string(),
    joinedAt: z.string(),
    participantCount: z.number().int(),
    maxParticipants: z.number().int(),
  })
  .openapi('ChallengeParticipation');
export type ParticipationView = z.output<typeof participationSchema>;

export const listChallengesQuery = z.object({
  brandId: idValue.optional(),
  status: z.enum(CHALLENGE_STATUSES).optional().openapi({
    description: 'Default: scheduled and open ones',
  }),
  limit: limitParam,
  cursor: cursorParam,
});
export type ListChallengesQuery = z.output<typeof listChallengesQuery>;
