import { AppError } from './app-error';

/**
 * Keyset pagination cursors. Ids are time-ordered, so "the last id seen" is the whole position;
 * it is wrapped so clients treat it as opaque and never build one by hand.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`v1:${lastId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^v1:([a-z]{2,4}_[0-9a-z]{26})$/.exec(text);
  if (!match?.[1])
    throw AppError.invalid('cursor_invalid', 'cursor is not one this API gave out', 'cursor');
  return match[1];
}

/** Cuts a `limit + 1` fetch into a page and the cursor of the next one. */
export function pageOf<T extends { id: string }, V>(
  rows: T[],
  limit: number,
  view: (row: T) => V,
): { data: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
