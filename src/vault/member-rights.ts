import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import type { Db } from '../db/db';
import {
  deleteAccountTokensOf,
  eraseUser,
  unerasedCredentials,
  verifyPassword,
  type AccountsService,
} from '../accounts';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import { deleteMailTo } from '../mail';
import { eraseBuyerShippingAddresses } from '../orders';
import { collectMemberData } from './member-data';
import { orderAddressRecord, orderInStatuses } from './member-records.repository';
import type { PostalAddress } from './vault-core';
import { sealedRef } from './vault-orders';
import { Vault } from './vault.repository';

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
    private readonly db: Db,
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
    const data = await collectMemberData(this.db, this.vault, userId);
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
    const order = await orderAddressRecord(this.db, orderId);
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
    const user = await unerasedCredentials(this.db, userId);
    if (!user || !(await verifyPassword(password, user.passwordHash)))
      throw AppError.invalid('wrong_password', 'password is not the current password', 'password');
    const open = await orderInStatuses(this.db, userId, OPEN_ORDER_STATUSES);
    if (open)
      throw AppError.conflict(
        'orders_in_progress',
        'Orders of this account are still open (unpaid or not shipped); finish or cancel them first.',
      );
    // The vault first: if it cannot be reached nothing changes, and the member can try again.
    await this.vault.erase(userId, { actorId: userId, purpose: 'erasure' });
    const now = this.clock.now().toJSDate();
    const revoked = await this.db.transaction(async (transaction) => {
      await eraseUser(
        this.db,
        userId,
        { email: `${userId}@erased.invalid`, displayName: ERASED_NAME, at: now },
        transaction,
      );
      // Addresses kept in the order (members outside the vault) go too; the country stays.
      await eraseBuyerShippingAddresses(this.db, userId, transaction);
      await deleteMailTo(this.db, [user.email, Vault.placeholderEmail(userId)], transaction);
      await deleteAccountTokensOf(this.db, userId, transaction);
      return this.accounts.revokeSessions(userId, undefined, transaction);
    });
    await this.accounts.announceRevoked(userId, revoked);
  }
}
