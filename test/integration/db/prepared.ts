import { Db } from '../../../src/db/db';
import { selectPrepared } from '../../../src/db/sql';
import { useTestApp } from '../../support/test-app';

// Prepared statements (QueryOptions.prepared): the values a text query would have bound, and a
// bounded number of statements held on each connection.
const ctx = useTestApp();

describe('a prepared statement', () => {
  test('binds a 64-bit mask above 2^63 exactly, as the text query does', async () => {
    const mask = (1n << 63n) | (1n << 5n) | 1n;
    const sql = 'SELECT CAST((? & ?) = ? AS SIGNED) AS same, CAST(? AS CHAR) AS text';
    const params = [mask, mask, mask, mask];
    const prepared = await selectPrepared<{ same: number; text: string }>(ctx.db, sql, params);
    const text = (await ctx.db.query(sql, params)) as Array<{ same: number; text: string }>;
    expect(prepared).toEqual([{ same: 1, text: mask.toString() }]);
    expect(prepared).toEqual(text);
  });

  test('binds integers, strings, dates and null as the text query does', async () => {
    const sql = 'SELECT ? + 1 AS n, CONCAT(?, ?) AS s, CAST(? AS CHAR) AS d, ? IS NULL AS nothing';
    const params = [41, 'tea', '茶', new Date('2026-12-01T10:00:00.123Z'), null];
    const prepared = await selectPrepared(ctx.db, `${sql} FROM DUAL LIMIT ?`, [...params, 1]);
    expect(prepared).toEqual(await ctx.db.query(`${sql} FROM DUAL LIMIT ?`, [...params, 1]));
    expect(prepared).toEqual([{ n: 42, s: 'tea茶', d: '2026-12-01 10:00:00.123', nothing: 1 }]);
  });

  test('refuses a list for IN (?) rather than send it as JSON', async () => {
    await expect(
      selectPrepared(ctx.db, 'SELECT 1 FROM DUAL WHERE 1 IN (?)', [[1, 2]]),
    ).rejects.toThrow(TypeError);
  });

  test('is prepared once per connection, and a connection keeps at most 32 of them', async () => {
    const own = new Db(ctx.config.DATABASE_URL, { poolMax: 1 });
    const count = async (name: string) =>
      Number(
        ((await own.query('SHOW SESSION STATUS LIKE ?', [name])) as Array<{ Value: string }>)[0]!
          .Value,
      );
    try {
      for (let i = 0; i < 3; i += 1) await selectPrepared(own, 'SELECT ? AS n', [i]);
      expect(await count('Com_stmt_prepare')).toBe(1);
      for (let i = 0; i < 40; i += 1) await selectPrepared(own, `SELECT ? AS n${i}`, [i]);
      // 41 shapes through a connection that holds 32: the 9 least recently used were closed.
      expect(await count('Com_stmt_prepare')).toBe(41);
      expect(await count('Com_stmt_close')).toBe(9);
    } finally {
      await own.close();
    }
  });
});
