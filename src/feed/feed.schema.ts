import { z } from 'zod';
import { cursorParam, limitParam, timezone } from '../http/common-schemas';
import { noteSchema } from '../notes';

export const feedQuery = z.object({
  timezone: timezone.optional().openapi({
    description:
      "Whose Friday it is, for a visitor not signed in (a member's own zone wins); UTC by default",
  }),
  limit: limitParam,
  cursor: cursorParam,
});
export type FeedQuery = z.output<typeof feedQuery>;

export const FEED_MODES = ['random', 'ranked'] as const;
export type FeedMode = (typeof FEED_MODES)[number];

export const feedSchema = z
  .object({
    mode: z.enum(FEED_MODES).openapi({
      description:
        "random on Fridays in the viewer's zone (every published note, an order fixed for the viewer and that Friday), ranked other days. A cursor continues the feed it came from.",
    }),
    data: z.array(noteSchema),
    nextCursor: z.string().nullable(),
  })
  .openapi('Feed');
