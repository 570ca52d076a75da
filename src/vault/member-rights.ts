import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import type { Sequelize } from 'sequelize';
import type { AccountsService } from '../accounts/accounts.service';
import { verifyPassword } from '../accounts/passwords';
import type { Clock } from '../clock';
import { execute, selectOne } from '../db/sql';
import { AppError } from '../http/app-error';
import type { PostalAddress } from '.';
import { Vault } from '.';
import { collectMemberData } from './member-data';
import { sealedRef } from './vault-orders';

export const MEMBER_DATA_EXPORT = 'member-data-export';
/** How long after shipping a seller may still read the buyer's address (returns, claims). */
const SELLER_WINDOW_DAYS = 30;
/** Statuses in which the seller has yet to ship. */
const TO_SHIP = new Set(['paid', 'partially_refunded']);
/** Orders that still need the member's address or the member: erasure waits for them. */
const OPEN_ORDER_STATUSES = ['pending_payment', 'paid', 'partially_refunded'];
export const ERASED_NAME = 'Deleted member';

export interface DataExportView {
  jobId: string;
  status: 'pending' | 'ready' | 'downloaded';
  createdAt: string;
  finishedAt: string | null;
  downloadedAt: string | null;
}

/** GDPR rights of every member (export, erasure) and the seller's read of an order's address. */
export class MemberRights {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
    private readonly vault: Vault,
    private readonly accounts: AccountsService,
    private readonly queue: Queue,
  ) {}

  /** A job builds the file; the answer is at once. */
  async requestExport(userId: string): Promise<{ jobId: string }> {
    const jobId = await this.vault.createExport(userId);
    await this.queue.add(MEMBER_DATA_EXPORT, { exportId: jobId }, { jobId });
    return { jobId };
  }

  /** The job: collects everything held about the member into the export's JSON file. */
  async runExport(exportId: string): Promise<void> {
    const userId = await this.vault.exportOwner(exportId);
    if (!userId) return;
    const data = await collectMemberData(this.sequelize, this.vault, userId);
    await this.vault.finishExport(exportId, JSON.stringify(data, null, 2));
  }

  async exportStatus(userId: string, jobId: string): Promise<DataExportView> {
    const status = await this.vault.exportStatus(jobId, userId);
    if (!status) throw AppError.notFound('data export');
    return { jobId, ...status };
  }

  /** The file, once: a second download finds it gone (409). */
  async download(userId: string, jobId: string): Promise<string> {
    const status = await this.exportStatus(userId, jobId);
    if (status.status === 'pending')
      throw AppError.conflict('export_not_ready', 'The export is still being prepared.');
    const body = await this.vault.takeExport(jobId, userId);
    if (body === null)
      throw AppError.conflict('export_downloaded', 'This export was downloaded already.');
    return body;
  }

  /**
   * The order's shipping address, to its buyer, or to its seller while there is something to
   * ship or for 30 days after shipping; an admin for support. Read through the vault, logged.
   */
  async shippingAddress(
    orderId: string,
    viewer: { userId: string; isAdmin: boolean },
  ): Promise<PostalAddress> {
    const order = await selectOne<{
      buyerId: string;
      sellerId: string;
      status: string;
      shippedAt: Date | null;
      stored: string;
    }>(
      this.sequelize,
      `SELECT buyer_id AS buyerId, seller_id AS sellerId, status, shipped_at AS shippedAt,
              shipping_address AS stored
         FROM orders WHERE id = ?`,
      [orderId],
    );
    const role =
      order?.buyerId === viewer.userId
        ? 'buyer'
        : order?.sellerId === viewer.userId
          ? 'seller'
          : viewer.isAdmin
            ? 'admin'
            : null;
    if (!order || !role) throw AppError.notFound('order');
    if (role === 'seller') {
      const now = this.clock.now();
      const open = order.shippedAt
        ? DateTime.fromJSDate(order.shippedAt).plus({ days: SELLER_WINDOW_DAYS }) >= now
        : TO_SHIP.has(order.status);
      if (!open)
        throw AppError.conflict(
          'shipping_address_unavailable',
          'The seller sees the address while the order is paid and not shipped, and for 30 days after shipping.',
        );
    }
    const ref = sealedRef(order.stored);
    const address = ref
      ? await this.vault.readAddress(ref, order.buyerId, {
          actorId: viewer.userId,
          purpose: `order_${role}`,
        })
      : (JSON.parse(order.stored) as PostalAddress | { vaultRef: string });
    if (!address || 'vaultRef' in address) throw AppError.notFound('shipping address');
    return address;
  }

  /**
   * Erasure: the vault's data goes, the account can no longer sign in, its orders stay (for
   * accounting) under its id, its notes stay without its name.
   */
  async erase(userId: string, password: string): Promise<void> {
    const user = await selectOne<{ email: string; passwordHash: string; country: string }>(
      this.sequelize,
      'SELECT email, password_hash AS passwordHash, country FROM users WHERE id = ? AND erased_at IS NULL',
      [userId],
    );
    if (!user || !(await verifyPassword(password, user.passwordHash)))
      throw AppError.invalid('wrong_password', 'password is not the current password', 'password');
    const open = await selectOne<{ id: string }>(
      this.sequelize,
      `SELECT id FROM orders WHERE (buyer_id = ? OR seller_id = ?) AND status IN (?) LIMIT 1`,
      [userId, userId, OPEN_ORDER_STATUSES],
    );
    if (open)
      throw AppError.conflict(
        'orders_in_progress',
        'Orders of this account are still open (unpaid or not shipped); finish or cancel them first.',
      );
    // The vault first: if it cannot be reached nothing changes, and the member can try again.
    await this.vault.erase(userId, { actorId: userId, purpose: 'erasure' });
    const now = this.clock.now().toJSDate();
    const revoked = await this.sequelize.transaction(async (transaction) => {
      await execute(
        this.sequelize,
        `UPDATE users SET email = ?, email_hmac = NULL, password_hash = '', display_name = ?,
                email_verified_at = NULL, erased_at = ?, updated_at = ?
          WHERE id = ?`,
        [`${userId}@erased.invalid`, ERASED_NAME, now, now, userId],
        transaction,
      );
      // Addresses kept in the order (members outside the vault) go too; the country stays.
      await execute(
        this.sequelize,
        `UPDATE orders SET shipping_address = JSON_OBJECT('vaultRef', 'erased', 'country',
                JSON_VALUE(shipping_address, '$.country'))
          WHERE buyer_id = ?`,
        [userId],
        transaction,
      );
      await execute(
        this.sequelize,
        'DELETE FROM mail_outbox WHERE to_address IN (?)',
        [[user.email, Vault.placeholderEmail(userId)]],
        transaction,
      );
      await execute(
        this.sequelize,
        'DELETE FROM account_tokens WHERE user_id = ?',
        [userId],
        transaction,
      );
      return this.accounts.revokeSessions(userId, undefined, transaction);
    });
    await this.accounts.announceRevoked(userId, revoked);
  }
}
