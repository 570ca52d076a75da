import { z } from 'zod';
import { cursorParam, limitParam, listOf } from '../http/common-schemas';
import type { ApiRoutes } from '../http/route';
import type { MailService } from './mail.service';

const outboxMail = z
  .object({
    id: z.string(),
    kind: z.string(),
    to: z.string(),
    locale: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    status: z.enum(['kept', 'pending', 'sending', 'sent']),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi('OutboxMail');

export function mailRoutes(routes: ApiRoutes, mail: MailService): void {
  routes.add({
    method: 'get',
    path: '/v1/admin/outbox',
    operationId: 'listOutboxMails',
    summary: 'Mails the service wrote, newest first (without SMTP_URL, where mails stay)',
    tag: 'Mail',
    access: ['admin'],
    query: z.object({ limit: limitParam, cursor: cursorParam }),
    response: listOf(outboxMail),
    handler: ({ query }) => mail.list(query.limit, query.cursor),
  });
}
