import type { Db } from '../db/db';
import { setEmail, setEmailHmacs, usersWithoutEmailHmac, vaultUsersToMove } from '../accounts';
import type { Logger } from '../logger';
import { readdressOutboxMail } from '../mail';
import { replaceShippingAddress } from '../orders';
import { vaultMembersOrders } from './member-records.repository';
import type { PostalAddress } from './vault-core';
import { sealedRef } from './vault-orders';
import { Vault } from './vault.repository';

const BATCH = 500;

interface Services {
  vault: Vault;
  accounts: { emailKey(email: string): string };
}

/**
 * At start, like the main database's migrations: the vault database is created and migrated,
 * accounts from before the HMAC column get theirs, and members of VAULT_COUNTRIES whose
 * email or addresses are still in the main database have them moved into the vault. A vault
 * that does not answer is logged: the service starts, its members get 503 until it answers.
 */
export async function prepareVault(services: Services, db: Db, logger: Logger): Promise<void> {
  try {
    await services.vault.ready();
  } catch {
    logger.error('the data vault cannot be reached: its members get 503 until it answers');
    return;
  }
  try {
    const hashed = await backfillEmailHmacs(services, db);
    const moved = await moveIntoVault(services.vault, db);
    if (hashed > 0 || moved.members > 0 || moved.orders > 0)
      logger.info({ hashed, ...moved }, 'data vault: accounts brought up to date');
  } catch (error) {
    // What was moved stays moved (each step is safe to run again); the rest waits for the next start.
    logger.error({ err: error }, 'data vault: bringing accounts up to date failed');
  }
}

async function backfillEmailHmacs(services: Services, db: Db): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await usersWithoutEmailHmac(db, BATCH);
    await setEmailHmacs(
      db,
      rows.map((row) => ({ ...row, hmac: services.accounts.emailKey(row.email) })),
    );
    done += rows.length;
    if (rows.length < BATCH) return done;
  }
}

/** Moves each member's email, then their orders' addresses; safe to run again after a crash. */
export async function moveIntoVault(
  vault: Vault,
  db: Db,
): Promise<{ members: number; orders: number }> {
  const countries = [...vault.settings.countries];
  if (countries.length === 0) return { members: 0, orders: 0 };
  let members = 0;
  for (;;) {
    const rows = await vaultUsersToMove(db, countries, BATCH);
    for (const row of rows) {
      await vault.putEmail(row.id, row.email);
      const placeholder = Vault.placeholderEmail(row.id);
      await setEmail(db, row.id, row.email, placeholder);
      await readdressOutboxMail(db, row.email, placeholder);
    }
    members += rows.length;
    if (rows.length < BATCH) break;
  }
  let orders = 0;
  let after = '';
  for (;;) {
    const rows = await vaultMembersOrders(db, after, BATCH);
    for (const row of rows) {
      if (sealedRef(row.stored)) continue;
      const address = JSON.parse(row.stored) as Partial<PostalAddress>;
      // Not an address the API wrote (it always has a country): no personal data to move.
      if (typeof address.country !== 'string') continue;
      const vaultRef = await vault.sealAddress(row.buyerId, address as PostalAddress);
      await replaceShippingAddress(
        db,
        row.id,
        row.stored,
        JSON.stringify({ vaultRef, country: address.country }),
      );
      orders += 1;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  return { members, orders };
}
