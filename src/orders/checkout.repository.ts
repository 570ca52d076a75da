import type { Db } from '../db/db';
import { selectRows, type Statement, type Tx } from '../db/sql';

/** What checkout reads: the listings ordered, the buyer's name and the note the order names. */

export interface CheckoutListing {
  id: string;
  sellerId: string;
  sellerBrandId: string | null;
  sellerName: string;
  title: string;
  priceAmount: number;
  currency: string;
  quantity: number;
  status: string;
  /** JSON array of the countries it ships to; empty: anywhere. */
  shipsTo: string;
}

export interface NoteLinkRow {
  status: string;
  listingId: string | null;
}

/**
 * The listings of a checkout, with what pricing and the purchase rules need. `lock`: locked
 * in id order (a fixed order, so concurrent multi-item orders cannot deadlock); the
 * subqueries' rows (the seller) are read, not locked.
 */
export function checkoutListingsStatement(ids: string[], lock = false): Statement {
  return [
    `SELECT l.id, l.seller_id AS sellerId,
            (SELECT u.brand_id FROM users u WHERE u.id = l.seller_id) AS sellerBrandId,
            (SELECT u.display_name FROM users u WHERE u.id = l.seller_id) AS sellerName,
            l.title, l.price_amount AS priceAmount, l.currency, l.quantity, l.status,
            l.ships_to AS shipsTo
       FROM listings l
      WHERE l.id IN (?)
      ORDER BY l.id${lock ? ' FOR UPDATE' : ''}`,
    [ids],
  ];
}

/** A user's display name, read with the checkout's first batch so the order shows it. */
export function displayNameStatement(userId: string): Statement {
  return ['SELECT display_name AS displayName FROM users WHERE id = ?', [userId]];
}

/** The note an order names and the listings it links: read in checkout's first round trip. */
export function referringNoteStatement(noteId: string): Statement {
  return [
    `SELECT n.status, nl.listing_id AS listingId
       FROM notes n LEFT JOIN note_listings nl ON nl.note_id = n.id
      WHERE n.id = ?`,
    [noteId],
  ];
}

export function findCheckoutListings(
  db: Db,
  ids: string[],
  transaction?: Tx,
): Promise<CheckoutListing[]> {
  const [sql, params] = checkoutListingsStatement(ids);
  return selectRows<CheckoutListing>(db, sql, params, transaction);
}
