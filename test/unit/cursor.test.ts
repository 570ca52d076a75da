import { AppError } from '../../src/http/app-error';
import { decodeCursor, encodeCursor, pageOf } from '../../src/http/cursor';
import { newId } from '../../src/ids';

describe('cursors', () => {
  test('round-trip the last id seen', () => {
    const id = newId('ord');
    expect(decodeCursor(encodeCursor(id))).toBe(id);
    expect(decodeCursor(undefined)).toBeNull();
    expect(decodeCursor('')).toBeNull();
  });

  test.each([
    ['SQL in the id', Buffer.from('v1:1 OR 1=1').toString('base64url')],
    ['an unknown version', Buffer.from(`v2:${newId('ord')}`).toString('base64url')],
    ['a raw id', newId('ord')],
    ['garbage', 'bm9wZQ'],
  ])('refuse %s with a 400 naming cursor', (_what, cursor) => {
    try {
      decodeCursor(cursor);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 400, code: 'cursor_invalid', param: 'cursor' });
    }
  });

  test('a page of limit + 1 rows has a next cursor at its last row; a short page has none', () => {
    const rows = [1, 2, 3].map((n) => ({ id: newId('lst', n) }));
    const full = pageOf(rows, 2, (row) => row.id);
    expect(full.data).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(decodeCursor(full.nextCursor!)).toBe(rows[1]!.id);
    expect(pageOf(rows, 3, (row) => row.id).nextCursor).toBeNull();
  });
});
