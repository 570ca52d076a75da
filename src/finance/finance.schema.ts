import { z } from 'zod';
import { timezone } from '../http/common-schemas';
import { ORDER_STATUSES, type OrderStatus } from '../orders';

const day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });

const statuses = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.every((s) => (ORDER_STATUSES as readonly string[]).includes(s)), {
    message: `each status must be one of ${ORDER_STATUSES.join(', ')}`,
  })
  .transform((list) => list as OrderStatus[]);

const range = {
  from: day,
  to: day,
  timezone: timezone.default('UTC'),
  status: statuses.optional(),
};

function fromNotAfterTo(value: { from: string; to: string }): boolean {
  return value.from <= value.to;
}

export const ordersCsvQuery = z
  .object({ ...range, bom: z.enum(['0', '1']).optional() })
  .refine(fromNotAfterTo, { message: 'from must not be after to', path: ['from'] });
export type OrdersCsvQuery = z.output<typeof ordersCsvQuery>;

export const createExportBody = z
  .object({
    from: day,
    to: day,
    timezone: timezone.default('UTC'),
    status: z.array(z.enum(ORDER_STATUSES)).max(8).optional(),
  })
  .strict()
  .refine(fromNotAfterTo, { message: 'from must not be after to', path: ['from'] })
  .openapi('CreateFinanceExportRequest');
export type CreateExportInput = z.output<typeof createExportBody>;

export const exportSchema = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'running', 'done', 'failed', 'expired']),
    progress: z.object({ rowsDone: z.number() }),
    from: z.string(),
    to: z.string(),
    timezone: z.string(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    downloadUrl: z.string().nullable(),
  })
  .openapi('FinanceExport');
export type ExportView = z.output<typeof exportSchema>;
