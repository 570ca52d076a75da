import type { Transaction } from '../db/db';
import type { Tx } from '../db/sql';
import type { OrderRow } from './orders.repository';

export interface PurchaseGateInput {
  buyerId: string;
  lines: Array<{ listingId: string; quantity: number }>;
  reservationToken?: string;
  orderId: string;
  now: Date;
}

export interface PurchaseGate {
  dropId: string | null;
  reservationId: string | null;
  /** Listings whose units the reservation already holds. */
  heldListingIds: string[];
}

export const NO_GATE: PurchaseGate = { dropId: null, reservationId: null, heldListingIds: [] };

/**
 * Extension point for campaign features that gate or follow a purchase (puzzle drops):
 * called inside the order's transaction so their holds move with the order's.
 */
export interface PurchaseHooks {
  /**
   * Before stock is taken: may consume a reservation, whose unit then stands in for the
   * listing's stock on that line.
   */
  beforeCreate?(input: PurchaseGateInput, transaction: Tx): Promise<PurchaseGate>;
  /** Listings of a released order whose units belong to its reservation. */
  heldListingIds?(order: OrderRow, transaction: Transaction): Promise<string[]>;
  afterRelease?(order: OrderRow, transaction: Transaction): Promise<void>;
}
