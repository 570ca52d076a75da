import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Db } from '../db/db';
import type { MailTransport } from './transport';
import type { Clock } from '../clock';
import type { Tx } from '../db/sql';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import type { Logger } from '../logger';
import type { Locale } from './locales';
import type { MailKind } from './messages';
import { renderMail } from './render';
import {
  claimOutboxMail,
  insertOutboxMails,
  markOutboxErased,
  markOutboxSent,
  outboxIdsAmong,
  outboxMail,
  outboxPage,
  outboxStatus,
  releaseOutboxClaim,
} from './outbox.repository';
import { Vault } from '../vault';

export const SEND_MAIL = 'send-mail';

export interface MailRequest {
  /** The event that causes the mail (`order-paid:ord_..:buyer`): one mail per event, ever. */
  eventKey: string;
  kind: MailKind;
  to: string;
  locale: Locale;
  vars: Record<string, string>;
  link?: string;
}

export interface OutboxView {
  id: string;
  kind: string;
  to: string;
  locale: string;
  subject: string;
  text: string;
  html: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

/** SMTP refusals are mostly passing (greylisting, a busy relay): 8 tries, 2 s doubling (~4 min). */
const SEND_OPTIONS = { attempts: 8, backoff: { type: 'exponential', delay: 2000 } } as const;

/** A claim older than this is taken to belong to a worker that died mid-send. */
const CLAIM_MS = 5 * 60_000;

/** The job of a mail: derived from its event, so a replayed event adds no second job (BullMQ ids take no colon). */
export function mailJobId(eventKey: string): string {
  return `mail-${createHash('sha256').update(eventKey).digest('hex').slice(0, 40)}`;
}

/**
 * Mails leave through the outbox: one row per event (unique `event_key`). Without SMTP the row
 * is the mail (an admin reads it); with SMTP a queue job sends it, claiming the row first so a
 * retried job or a second worker never sends it twice.
 */
export class MailService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly queue: Queue,
    private readonly transport: MailTransport | null,
    private readonly from: string,
    private readonly logger: Logger,
    /** A vault member's outbox rows hold `<userId>@vault.invalid`: the address is read at sending. */
    private readonly vault: Vault | null,
  ) {}

  get sendsSmtp(): boolean {
    return this.transport !== null;
  }

  /**
   * Writes the mail into the outbox, in `transaction` when given (the mail then exists exactly
   * when the event committed), and queues its sending once that commit is done. False if the
   * event had its mail already.
   */
  async keep(mail: MailRequest, transaction?: Tx): Promise<boolean> {
    const rendered = renderMail(mail.kind, mail.locale, mail.vars, mail.link);
    const id = newId('mail', this.clock.now().toMillis());
    const inserted = await insertOutboxMails(
      this.db,
      [
        {
          id,
          eventKey: mail.eventKey,
          kind: mail.kind,
          to: mail.to,
          locale: mail.locale,
          ...rendered,
          status: this.transport ? 'pending' : 'kept',
          createdAt: this.clock.now().toJSDate(),
        },
      ],
      transaction,
    );
    if (inserted === 0) return false;
    const announce = () => this.announce(mail, id);
    const hooks = transaction as { afterCommit?: (fn: () => unknown) => void } | undefined;
    if (hooks?.afterCommit)
      hooks.afterCommit(() =>
        announce().catch((err: unknown) =>
          this.logger.error({ err, mailId: id }, 'mail kept in the outbox but not queued'),
        ),
      );
    else await announce();
    return true;
  }

  /**
   * Many mails at once (one INSERT, one queue call): a drop's reminders or an airdrop's coupons.
   * Answers how many were new; events mailed before are skipped.
   */
  async keepMany(mails: MailRequest[]): Promise<number> {
    if (mails.length === 0) return 0;
    const now = this.clock.now();
    const rows = mails.map((mail) => ({
      mail,
      id: newId('mail', now.toMillis()),
      ...renderMail(mail.kind, mail.locale, mail.vars, mail.link),
    }));
    await insertOutboxMails(
      this.db,
      rows.map((row) => ({
        id: row.id,
        eventKey: row.mail.eventKey,
        kind: row.mail.kind,
        to: row.mail.to,
        locale: row.mail.locale,
        subject: row.subject,
        text: row.text,
        html: row.html,
        status: this.transport ? 'pending' : 'kept',
        createdAt: now.toJSDate(),
      })),
    );
    const kept = await outboxIdsAmong(
      this.db,
      rows.map((row) => row.id),
    );
    const fresh = rows.filter((row) => kept.has(row.id));
    this.logger.info({ kind: mails[0]!.kind, count: fresh.length }, 'mails queued');
    if (this.transport && fresh.length > 0)
      await this.queue.addBulk(
        fresh.map((row) => ({
          name: SEND_MAIL,
          data: { mailId: row.id },
          opts: { jobId: mailJobId(row.mail.eventKey), ...SEND_OPTIONS },
        })),
      );
    return fresh.length;
  }

  private async announce(mail: MailRequest, id: string): Promise<void> {
    // The log names the mail, never its body: reset and verification links are secrets.
    this.logger.info({ mailId: id, kind: mail.kind, event: mail.eventKey }, 'mail queued');
    if (this.transport)
      await this.queue.add(
        SEND_MAIL,
        { mailId: id },
        {
          jobId: mailJobId(mail.eventKey),
          attempts: 8,
          backoff: { type: 'exponential', delay: 2000 },
        },
      );
  }

  /** Sends one outbox mail, at most once however often it is called. */
  async send(mailId: string): Promise<'sent' | 'already-sent' | 'taken'> {
    if (!this.transport) return 'already-sent';
    const now = this.clock.now();
    const claimed = await claimOutboxMail(
      this.db,
      mailId,
      now.toJSDate(),
      now.minus({ milliseconds: CLAIM_MS }).toJSDate(),
    );
    if (!claimed) {
      const status = await outboxStatus(this.db, mailId);
      return status === 'sending' ? 'taken' : 'already-sent';
    }
    const row = (await outboxMail(this.db, mailId))!;
    try {
      const member = Vault.memberOf(row.toAddress);
      const to =
        member && this.vault
          ? await this.vault.readEmail(member, { actorId: null, purpose: `mail:${row.kind}` })
          : row.toAddress;
      if (to === null) {
        // The member erased their account: nobody to write to any more.
        await markOutboxErased(this.db, mailId);
        return 'already-sent';
      }
      await this.transport.sendMail({
        from: this.from,
        to,
        subject: row.subject,
        text: row.textBody,
        html: row.htmlBody,
        messageId: `<${row.id}@cyberstall>`,
      });
    } catch (error) {
      // Not sent: let the retry claim it again.
      await releaseOutboxClaim(this.db, mailId);
      throw error;
    }
    // Once delivered, a mail carrying a one-time link keeps no copy of it in the outbox.
    await markOutboxSent(this.db, mailId, this.clock.now().toJSDate());
    this.logger.info({ mailId, kind: row.kind }, 'mail sent');
    return 'sent';
  }

  /** The outbox for an admin, newest first. */
  async list(
    limit: number,
    cursor?: string,
  ): Promise<{ data: OutboxView[]; nextCursor: string | null }> {
    const after = decodeCursor(cursor);
    const rows = await outboxPage(this.db, after, limit + 1);
    return pageOf(rows, limit, (row) => ({
      id: row.id,
      kind: row.kind,
      to: row.toAddress,
      locale: row.locale,
      subject: row.subject,
      text: row.textBody,
      html: row.htmlBody,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt ? row.sentAt.toISOString() : null,
    }));
  }
}
