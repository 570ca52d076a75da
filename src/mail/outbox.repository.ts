import type { Sequelize } from 'sequelize';
import { execute, selectOne, selectRows, type Tx } from '../db/sql';

/** One outbox row as written: rendered, addressed, `pending` (SMTP) or `kept` (no SMTP). */
export interface NewOutboxMail {
  id: string;
  eventKey: string;
  kind: string;
  to: string;
  locale: string;
  subject: string;
  text: string;
  html: string;
  status: 'pending' | 'kept';
  createdAt: Date;
}

export interface OutboxRow {
  id: string;
  eventKey: string;
  kind: string;
  toAddress: string;
  locale: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  status: string;
  createdAt: Date;
  sentAt: Date | null;
}

const SELECT_OUTBOX = `SELECT id, event_key AS eventKey, kind, to_address AS toAddress, locale, subject,
  text_body AS textBody, html_body AS htmlBody, status, created_at AS createdAt, sent_at AS sentAt
  FROM mail_outbox`;

const VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function valuesOf(mail: NewOutboxMail): unknown[] {
  return [
    mail.id,
    mail.eventKey,
    mail.kind,
    mail.to,
    mail.locale,
    mail.subject,
    mail.text,
    mail.html,
    mail.status,
    mail.createdAt,
  ];
}

/** Answers how many rows were new: an event (unique `event_key`) keeps its first mail only. */
export function insertOutboxMails(
  sequelize: Sequelize,
  mails: NewOutboxMail[],
  tx?: Tx,
): Promise<number> {
  return execute(
    sequelize,
    `INSERT IGNORE INTO mail_outbox
         (id, event_key, kind, to_address, locale, subject, text_body, html_body, status, created_at)
       VALUES ${mails.map(() => VALUES).join(', ')}`,
    mails.flatMap(valuesOf),
    tx,
  );
}

export async function outboxIdsAmong(sequelize: Sequelize, ids: string[]): Promise<Set<string>> {
  const rows = await selectRows<{ id: string }>(
    sequelize,
    'SELECT id FROM mail_outbox WHERE id IN (?)',
    [ids],
  );
  return new Set(rows.map((row) => row.id));
}

/** Claims a pending mail, or one whose claim is older than `staleBefore`; answers whether. */
export async function claimOutboxMail(
  sequelize: Sequelize,
  mailId: string,
  now: Date,
  staleBefore: Date,
): Promise<boolean> {
  const claimed = await execute(
    sequelize,
    `UPDATE mail_outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1
        WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND claimed_at < ?))`,
    [now, mailId, staleBefore],
  );
  return claimed > 0;
}

export async function outboxStatus(sequelize: Sequelize, mailId: string) {
  const row = await selectOne<{ status: string }>(
    sequelize,
    'SELECT status FROM mail_outbox WHERE id = ?',
    [mailId],
  );
  return row?.status;
}

export function outboxMail(sequelize: Sequelize, mailId: string): Promise<OutboxRow | undefined> {
  return selectOne<OutboxRow>(sequelize, `${SELECT_OUTBOX} WHERE id = ?`, [mailId]);
}

export async function markOutboxErased(sequelize: Sequelize, mailId: string): Promise<void> {
  await execute(sequelize, `UPDATE mail_outbox SET status = 'erased' WHERE id = ?`, [mailId]);
}

/** A claimed mail not sent goes back to pending, for the retry to claim again. */
export async function releaseOutboxClaim(sequelize: Sequelize, mailId: string): Promise<void> {
  await execute(
    sequelize,
    `UPDATE mail_outbox SET status = 'pending' WHERE id = ? AND status = 'sending'`,
    [mailId],
  );
}

/** Sent: a mail carrying a one-time link keeps no copy of it in the outbox. */
export async function markOutboxSent(sequelize: Sequelize, mailId: string, at: Date) {
  await execute(
    sequelize,
    `UPDATE mail_outbox SET status = 'sent', sent_at = ?,
         text_body = IF(kind IN ('verify-email', 'password-reset'), '', text_body),
         html_body = IF(kind IN ('verify-email', 'password-reset'), '', html_body)
        WHERE id = ?`,
    [at, mailId],
  );
}

/** Newest first, `limit` rows after the cursor id. */
export function outboxPage(
  sequelize: Sequelize,
  after: string | null | undefined,
  limit: number,
): Promise<OutboxRow[]> {
  return selectRows<OutboxRow>(
    sequelize,
    `${SELECT_OUTBOX} ${after ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`,
    after ? [after, limit] : [limit],
  );
}

/** Outbox rows addressed to `from` are addressed to `to` (a member's email moved to the vault). */
export async function readdressOutboxMail(
  sequelize: Sequelize,
  from: string,
  to: string,
): Promise<void> {
  await execute(sequelize, 'UPDATE mail_outbox SET to_address = ? WHERE to_address = ?', [
    to,
    from,
  ]);
}

/** Mails to any of `addresses` are deleted (an erased member's). */
export async function deleteMailTo(
  sequelize: Sequelize,
  addresses: string[],
  tx: Tx,
): Promise<void> {
  await execute(sequelize, 'DELETE FROM mail_outbox WHERE to_address IN (?)', [addresses], tx);
}
