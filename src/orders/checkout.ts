import type { Db } from '../db/db';
import type { Clock } from '../clock';
import {
  couponByCodeStatement,
  holdCouponAtCommit,
  normaliseCouponCode,
  type CouponRow,
} from '../coupons';
import { type Tx } from '../db/sql';
import { AppError } from '../http/app-error';
import { newId } from '../ids';
import type { Logger } from '../logger';
import { takeListingStockAtCommit } from '../listings';
import type { PaymentProvider } from '../payments';
import { applicableCoupon, checkoutListings, newOrderRow } from './checkout-rules';
import { priceOrder, subtotalOf, type PricedLine } from './order-pricing';
import type { Release } from './order-state';
import { toOrderView } from './order-view';
import {
  checkoutListingsStatement,
  displayNameStatement,
  referringNoteStatement,
  type CheckoutListing,
  type NoteLinkRow,
} from './checkout.repository';
import { OrdersRepository, type NewOrder } from './orders.repository';
import type { CreateOrderInput, OrderView } from './orders.schema';
import { NO_GATE, type PurchaseHooks } from './purchase-hooks';
import type { WebhookEventRecorder } from '../webhooks';
import { orderEvent } from './order-event';
import { referringNote } from './referring-note';

export interface OrdersSettings {
  holdMinutes: number;
  platformFeeBps: number;
}

/** What placing an order needs from the rest of an order's life: its expiry, and its release. */
export interface OrderLifecycle {
  scheduleExpiry(orderId: string, expiresAt: Date): Promise<void>;
  release(orderId: string, how: Release): Promise<boolean>;
}

/** Placing an order: stock, coupon and reservation held together, then the payment created. */
export class Checkout {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly provider: PaymentProvider,
    private readonly settings: OrdersSettings,
    private readonly logger: Logger,
    private readonly repo: OrdersRepository,
    private readonly lifecycle: OrderLifecycle,
    private readonly hooks: PurchaseHooks,
    private readonly events: WebhookEventRecorder | null = null,
  ) {}

  /**
   * Checkout in two round trips to MySQL. The first begins the transaction, locks the listings
   * (and the coupon) and reads them; the rules are checked on what the locks protect, so the
   * stock update, coupon hold and order rows that follow cannot fail a condition and travel
   * together with the COMMIT. Listings are locked in id order, then the coupon; an order with a
   * drop reservation locks the coupon, then the reservation, then the listings (see below).
   */
  async createOrder(buyerId: string, input: CreateOrderInput): Promise<OrderView> {
    const now = this.clock.now().toJSDate();
    const ids = input.items.map((item) => item.listingId);
    const code = input.couponCode ? normaliseCouponCode(input.couponCode) : null;
    const orderId = newId('ord', now.getTime());
    const expiresAt = new Date(now.getTime() + this.settings.holdMinutes * 60_000);

    // Invariant: stock taken, coupon held and order row exist together or not at all.
    const { order, names, lines, paymentRequest, localPayment } = await this.db.transaction(
      async (transaction) => {
        // With a drop reservation, the reservation is locked before any listing (as when a
        // reservation is released or its drop ends), and the reserved listing not at all: its
        // unit is the reservation's. So those listings are locked later, below.
        const reserving = input.reservationToken !== undefined;
        const noteId = input.referringNoteId;
        const [listingRows, buyerRows, ...optional] = (await transaction.batch([
          checkoutListingsStatement(ids, !reserving),
          displayNameStatement(buyerId),
          ...(code ? [couponByCodeStatement(code, true)] : []),
          ...(noteId ? [referringNoteStatement(noteId)] : []),
        ])) as [CheckoutListing[], Array<{ displayName: string }>, ...unknown[]];
        const couponRows = code ? (optional[0] as CouponRow[]) : undefined;
        const listings = checkoutListings(buyerId, ids, listingRows, input.shippingAddress.country);
        const referringNoteId = noteId
          ? referringNote(optional.at(-1) as NoteLinkRow[], noteId, ids)
          : null;
        const first = listings[0]!;
        const lines: PricedLine[] = input.items.map((item) => {
          const listing = listings.find((l) => l.id === item.listingId)!;
          return {
            listingId: listing.id,
            title: listing.title,
            quantity: item.quantity,
            unitAmount: listing.priceAmount,
          };
        });
        const coupon = input.couponCode
          ? applicableCoupon(couponRows?.[0], buyerId, first, subtotalOf(lines), now)
          : null;
        const amounts = priceOrder(
          lines,
          coupon?.discountAmount ?? 0,
          this.settings.platformFeeBps,
        );
        const paymentRequest = {
          orderId,
          amount: amounts.totalAmount,
          currency: first.currency,
          platformFeeAmount: amounts.platformFeeAmount,
          sellerAccountId: await this.sellerAccount(first.sellerId, transaction),
        };
        // A local provider (manual) answers without I/O, so its handle is written with the order.
        const localPayment = this.provider.isLocal
          ? await this.provider.createPayment(paymentRequest)
          : null;
        const gate = this.hooks.beforeCreate
          ? await this.hooks.beforeCreate(
              {
                buyerId,
                lines,
                reservationToken: input.reservationToken,
                orderId,
                now,
              },
              transaction,
            )
          : NO_GATE;
        if (!this.hooks.beforeCreate && input.reservationToken) {
          throw AppError.conflict(
            'reservation_invalid',
            'This reservation is not valid for these items.',
            'reservationToken',
          );
        }
        const toTake = lines.filter((line) => !gate.heldListingIds.includes(line.listingId));
        if (reserving && toTake.length > 0) {
          const [locked] = (await transaction.batch([
            checkoutListingsStatement(
              toTake.map((line) => line.listingId),
              true,
            ),
          ])) as [CheckoutListing[]];
          for (const row of locked) {
            const listing = listings.find((l) => l.id === row.id)!;
            // Priced on the first read: a listing changed since then is not sold at that price.
            if (row.status !== 'active' || row.priceAmount !== listing.priceAmount)
              throw AppError.conflict(
                'out_of_stock',
                `Listing ${row.id} changed while ordering; try again.`,
                'items',
              );
            listing.quantity = row.quantity;
          }
        }
        for (const line of toTake) {
          if (listings.find((l) => l.id === line.listingId)!.quantity < line.quantity) {
            throw AppError.conflict(
              'out_of_stock',
              `Not enough stock left for listing ${line.listingId}.`,
              'items',
            );
          }
          takeListingStockAtCommit(line.listingId, line.quantity, transaction);
        }
        if (coupon) holdCouponAtCommit(coupon.row.id, orderId, now, transaction);
        const row: NewOrder = {
          id: orderId,
          buyerId,
          sellerId: first.sellerId,
          status: 'pending_payment',
          currency: first.currency,
          ...amounts,
          couponId: coupon?.row.id ?? null,
          couponCode: coupon?.row.code ?? null,
          couponBrandId: coupon?.row.brandId ?? null,
          dropId: gate.dropId,
          reservationId: gate.reservationId,
          referringNoteId,
          shippingAddress: JSON.stringify(input.shippingAddress),
          paymentProvider: this.provider.name,
          paymentStatus: localPayment?.status ?? 'creating',
          paymentIntentId: localPayment?.paymentIntentId ?? null,
          paymentClientSecret: localPayment?.clientSecret ?? null,
          expiresAt,
          createdAt: now,
        };
        OrdersRepository.insertOrder(row, lines, now, transaction);
        await this.events?.record(orderEvent('order.created', newOrderRow(row)), transaction);
        const names = { sellerName: first.sellerName, buyerName: buyerRows[0]?.displayName ?? '' };
        return { order: row, names, lines, paymentRequest, localPayment };
      },
      { batched: true },
    );

    await this.lifecycle.scheduleExpiry(orderId, expiresAt);
    if (!localPayment) {
      try {
        const payment = await this.provider.createPayment(paymentRequest);
        await this.repo.setPaymentDetails(orderId, payment, this.clock.now().toJSDate());
        Object.assign(order, {
          paymentStatus: payment.status,
          paymentIntentId: payment.paymentIntentId,
          paymentClientSecret: payment.clientSecret,
        });
      } catch (error) {
        // Compensate: without a payment the hold must not outlive the request.
        this.logger.error(
          { err: error, orderId, dropId: order.dropId },
          'payment creation failed; releasing the order',
        );
        await this.lifecycle.release(orderId, { to: 'canceled', paymentStatus: 'failed' });
        throw AppError.unavailable(
          'The payment provider could not be reached; nothing was charged. Try again.',
        );
      }
    }
    return toOrderView({ ...newOrderRow(order), ...names }, lines, buyerId);
  }

  private async sellerAccount(sellerId: string, transaction?: Tx): Promise<string | null> {
    if (!this.provider.needsSellerAccount) return null;
    const account = await this.repo.findPayoutAccount(sellerId, transaction);
    if (!account?.chargesEnabled) {
      throw AppError.conflict(
        'seller_cannot_accept_payments',
        'The seller has not finished setting up payouts yet.',
      );
    }
    return account.accountId;
  }
}
