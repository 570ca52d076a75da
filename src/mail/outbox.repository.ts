import type { Db } from '../db/db';
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
export function insertOutboxMails(db: Db, mails: NewOutboxMail[], tx?: Tx): Promise<number> {
  return execute(
    db,
    `INSERT IGNORE INTO mail_outbox
         (id, event_key, kind, to_address, locale, subject, text_body, html_body, status, created_at)
       VALUES ${mails.map(() => VALUES).join(', ')}`,
    mails.flatMap(valuesOf),
    tx,
  );
}

export async function outboxIdsAmong(db: Db, ids: string[]): Promise<Set<string>> {
  const rows = await selectRows<{ id: string }>(db, 'SELECT id FROM mail_outbox WHERE id IN (?)', [
    ids,
  ]);
  return new Set(rows.map((row) => row.id));
}

/** Claims a pending mail, or one whose claim is older than `staleBefore`; answers whether. */
export async function claimOutboxMail(
  db: Db,
  mailId: string,
  now: Date,
  staleBefore: Date,
): Promise<boolean> {
  const claimed = await execute(
    db,
    `UPDATE mail_outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1
        WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND claimed_at < ?))`,
    [now, mailId, staleBefore],
  );
  return claimed > 0;
}

export async function outboxStatus(db: Db, mailId: string) {
  const row = await selectOne<{ status: string }>(
    db,
    'SELECT status FROM mail_outbox WHERE id = ?',
    [mailId],
  );
  return row?.status;
}

export function outboxMail(db: Db, mailId: string): Promise<OutboxRow | undefined> {
  return selectOne<OutboxRow>(db, `${SELECT_OUTBOX} WHERE id = ?`, [mailId]);
}

export async function markOutboxErased(db: Db, mailId: string): Promise<void> {
  await execute(db, `UPDATE mail_outbox SET status = 'erased' WHERE id = ?`, [mailId]);
}

/** A claimed mail not sent goes back to pending, for the retry to claim again. */
export async function releaseOutboxClaim(db: Db, mailId: string): Promise<void> {
  await execute(
    db,
    `UPDATE mail_outbox SET status = 'pending' WHERE id = ? AND status = 'sending'`,
    [mailId],
  );
}

/** Sent: a mail carrying a one-time link keeps no copy of it in the outbox. */
export async function markOutboxSent(db: Db, mailId: string, at: Date) {
  await execute(
    db,
    `UPDATE mail_outbox SET status = 'sent', sent_at = ?,
         text_body = IF(kind IN ('verify-email', 'password-reset'), '', text_body),
         html_body = IF(kind IN ('verify-email', 'password-reset'), '', html_body)
        WHERE id = ?`,
    [at, mailId],
  );
}

/** Newest first, `limit` rows after the cursor id. */
export function outboxPage(
  db: Db,
  after: string | null | undefined,
  limit: number,
): Promise<OutboxRow[]> {
  return selectRows<OutboxRow>(
    db,
    `${SELECT_OUTBOX} ${after ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`,
    after ? [after, limit] : [limit],
  );
}

/** Outbox rows addressed to `from` are addressed to `to` (a member's email moved to the vault). */
export async function readdressOutboxMail(db: Db, from: string, to: string): Promise<void> {
  await execute(db, 'UPDATE mail_outbox SET to_address = ? WHERE to_address = ?', [to, from]);
}

/** Mails to any of `addresses` are deleted (an erased member's). */
export async function deleteMailTo(db: Db, addresses: string[], tx: Tx): Promise<void> {
  await execute(db, 'DELETE FROM mail_outbox WHERE to_address IN (?)', [addresses], tx);
}
