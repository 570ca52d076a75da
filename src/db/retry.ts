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
