import type { Sequelize, Transaction } from 'sequelize';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * The transaction was undone as a whole: InnoDB picked it as a deadlock victim or a lock wait
 * timed out, or (Galera) it lost certification to a write committed on another node, which
 * also answers 1213 ER_LOCK_DEADLOCK, at COMMIT or at any statement, autocommit ones included.
 */
export function isLockConflict(error: unknown): boolean {
  const own = (error as { code?: string } | null)?.code;
  const parent = (error as { parent?: { code?: string } } | null)?.parent?.code;
  return RETRYABLE.has(own ?? '') || RETRYABLE.has(parent ?? '');
}

/** Tries on a lock conflict; with a Galera cluster three nodes may race for one row. */
export const LOCK_CONFLICT_ATTEMPTS = 10;

/**
 * Runs `work` again from the start while it fails with a lock conflict (see isLockConflict), a
 * random pause growing between tries so racers spread out. Only for work that nothing outside
 * the database saw before it failed: one statement, or a whole transaction.
 */
export async function retryOnLockConflict<T>(
  work: () => Promise<T>,
  attempts = LOCK_CONFLICT_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      const ceiling = Math.min(200, 10 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * ceiling));
    }
  }
}

type TransactionWork<T> = (transaction: Transaction) => Promise<T>;
const ORIGINAL_TRANSACTION = Symbol('transaction without retries');

/**
 * Every managed transaction (`sequelize.transaction(work)`) of this instance is run again from
 * the start on a lock conflict, and so is every statement sent outside a transaction: the
 * whole unit of work was undone, so running it again is safe, and the caller sees either its
 * result or a real error. A statement inside a transaction is never retried alone: after a
 * conflict the transaction is gone, and the next statement would run outside it.
 */
export function retryLockConflicts(sequelize: Sequelize): void {
  const target = sequelize as unknown as Record<PropertyKey, unknown>;
  if (target[ORIGINAL_TRANSACTION]) return;
  const transaction = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => unknown;
  const query = sequelize.query.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  target[ORIGINAL_TRANSACTION] = transaction;
  target.transaction = (...args: unknown[]) => {
    const work = args.find((arg) => typeof arg === 'function');
    // Unmanaged transactions (no callback) are the caller's to retry.
    if (!work) return transaction(...args);
    return retryOnLockConflict(() => transaction(...args) as Promise<unknown>);
  };
  target.query = (...args: unknown[]) => {
    const options = args[1] as { transaction?: unknown } | undefined;
    if (options?.transaction) return query(...args);
    return retryOnLockConflict(() => query(...args));
  };
}

/**
 * One transaction, run again from the start when it loses a lock race (see isLockConflict):
 * the whole transaction was rolled back, so running it again is safe.
 */
export async function retryingTransaction<T>(
  sequelize: Sequelize,
  work: TransactionWork<T>,
  attempts = LOCK_CONFLICT_ATTEMPTS,
): Promise<T> {
  const once = ((sequelize as unknown as Record<PropertyKey, unknown>)[ORIGINAL_TRANSACTION] ??
    sequelize.transaction.bind(sequelize)) as (work: TransactionWork<T>) => Promise<T>;
  return retryOnLockConflict(() => once(work), attempts);
}
