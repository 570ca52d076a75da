import { z } from 'zod';
import { countryCode } from '../http/common-schemas';
import { cultureTag } from './notes.schema';

export const policyBody = z
  .object({
    countries: z
      .array(countryCode)
      .max(250)
      .transform((codes) => [...new Set(codes)].sort()),
    tags: z
      .array(cultureTag)
      .max(200)
      .transform((tags) => [...new Set(tags)].sort()),
  })
  .strict()
  .openapi('ModerationPolicyRequest');

export const policySchema = z
  .object({
    countries: z.array(z.string()).openapi({
      description: "Authors' countries (ISO 3166-1 alpha-2) whose notes wait for a moderator",
    }),
    tags: z.array(z.string()).openapi({ description: 'Culture tags that hold a note for review' }),
    version: z.number().int().openapi({
      description: '0 while the environment (MODERATION_COUNTRIES, MODERATION_TAGS) applies',
    }),
    updatedAt: z.string().nullable(),
  })
  .openapi('ModerationPolicy');

export const regionsBody = z
  .object({
    regions: z
      .array(countryCode)
      .max(250)
      .openapi({ description: 'Authors’ countries this moderator decides for; [] for all' }),
  })
  .strict()
  .openapi('ModeratorRegionsRequest');

export const moderatorSchema = z
  .object({
    userId: z.string(),
    displayName: z.string(),
    regions: z.array(z.string()),
  })
  .openapi('Moderator');
