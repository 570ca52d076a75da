import { z } from 'zod';
import { cursorParam, limitParam, listOf } from '../http/common-schemas';
import { POINT_REASONS } from './point-rules';

export const pointEntrySchema = z
  .object({
    id: z.string(),
    amount: z.number().int(),
    reason: z.enum(POINT_REASONS),
    sourceId: z.string(),
    createdAt: z.string(),
  })
  .openapi('PointEntry');

export const pointsSchema = z
  .object({ balance: z.number().int(), entries: listOf(pointEntrySchema) })
  .openapi('Points');
export type PointsView = z.output<typeof pointsSchema>;

export const pointsQuery = z.object({ limit: limitParam, cursor: cursorParam });
