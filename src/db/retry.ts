import type { Sequelize, Transaction } from 'sequelize';

const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** InnoDB gave up on a lock (deadlock victim, or wait timeout): the whole transaction was undone. */
export function isLockConflict(error: unknown): boolean {
  const own = (error as { code?: string } | null)?.code;
  const parent = (error as { parent?: { code?: string } } | null)?.parent?.code;
  return RETRYABLE.has(own ?? '') || RETRYABLE.has(parent ?? '');
}

/**
 * One transaction, run again from the start when InnoDB picks it as a deadlock victim or a lock
 * wait times out: the whole transaction was rolled back, so running it again is safe.
 */
export async function retryingTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await sequelize.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
