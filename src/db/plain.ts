import type { Model } from 'sequelize';

/**
 * Queries run with `raw: true` return plain rows, but Sequelize's types still say "model
 * instance"; this names the row type once instead of casting at every call.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function asRow<T extends object>(found: Model<T, any> | null): T | null {
  return found as unknown as T | null;
}
