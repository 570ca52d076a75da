import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { orderRowsStatement } from '../../../src/finance/finance.repository';
import { ORDER_CSV_COLUMNS } from '../../../src/finance/order-csv';
import type { OrderStatus } from '../../../src/orders';
import {
  ADDRESS,
  createListing,
  eventually,
  signUp,
  signUpBrand,
  type TestUser,
} from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

const exportDir = mkdtempSync(path.join(tmpdir(), 'cs-exports-'));
let ctx: TestContext;
let workers: RunningWorkers;
let finance: TestUser;
const orderAt = new Map<string, string>();

beforeAll(async () => {
  ctx = await startTestContext({ env: { EXPORT_DIR: exportDir } });
  workers = await startWorkers(ctx.deps, ctx.services);
  finance = await signUp(ctx.app);
  await ctx.services.accounts.grantRole(finance.email, 'finance');
  const seller = await signUp(ctx.app, { country: 'JP' });
  const buyer = await signUp(ctx.app, { country: 'BR' });
  // One order per instant, its created_at set exactly around far zones' midnights.
  const instants: Array<[string, Record<string, unknown>]> = [
    ['2026-11-19T09:59:59.999Z', { currency: 'JPY', priceAmount: 500 }],
    ['2026-11-19T10:00:00.000Z', { currency: 'USD', priceAmount: 1999 }],
    [
      '2026-11-20T09:59:59.999Z',
      {
        currency: 'KWD',
        priceAmount: 1234,
        title: '=HYPERLINK("http://evil"), "quoted"\nline two',
      },
    ],
    ['2026-11-20T10:00:00.000Z', { currency: 'USD', priceAmount: 100 }],
    ['2026-11-20T10:59:59.999Z', { currency: 'USD', priceAmount: 200 }],
    ['2026-11-20T11:00:00.000Z', { currency: 'USD', priceAmount: 300 }],
    ['2026-11-21T10:59:59.999Z', { currency: 'USD', priceAmount: 400 }],
    ['2026-11-21T11:00:00.000Z', { currency: 'USD', priceAmount: 500 }],
  ];
  for (const [instant, listing] of instants) {
    const item = await createListing(ctx.app, seller, { quantity: 1, ...listing });
    const order = await request(ctx.app)
      .post('/v1/orders')
      .set(buyer.auth)
      .send({ items: [{ listingId: item.id, quantity: 1 }], shippingAddress: ADDRESS });
    await ctx.db.query('UPDATE orders SET created_at = ? WHERE id = ?', [
      instant.replace('T', ' ').replace('Z', ''),
      order.body.id,
    ]);
    orderAt.set(instant, order.body.id);
  }
  await request(ctx.app)
    .post(`/v1/orders/${orderAt.get('2026-11-19T10:00:00.000Z')}/pay`)
    .set(buyer.auth);
});

afterAll(async () => {
  await workers.close();
  await ctx.close();
  rmSync(exportDir, { recursive: true, force: true });
});

const csvOf = async (query: string) => {
  const res = await request(ctx.app)
    .get(`/v1/finance/orders.csv?${query}`)
    .set(finance.auth)
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
  return {
    res,
    text: res.body as string,
    rows: parse(res.body as string, { columns: true, bom: true }) as Array<Record<string, string>>,
  };
};

describe('GET /v1/finance/orders.csv', () => {
  test('Pacific/Kiritimati (UTC+14): a day starts at 10:00 UTC the day before', async () => {
    const { res, text, rows } = await csvOf(
      'from=2026-11-20&to=2026-11-20&timezone=Pacific/Kiritimati',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(text.split('\n')[0]).toBe(ORDER_CSV_COLUMNS.join(','));
    expect(rows.map((r) => r.order_id)).toEqual([
      orderAt.get('2026-11-19T10:00:00.000Z'),
      orderAt.get('2026-11-20T09:59:59.999Z'),
    ]);
    expect(rows[0]!.created_at).toBe('2026-11-20T00:00:00+14:00');
    expect(rows[1]!.created_at).toBe('2026-11-20T23:59:59.999+14:00');
  });

  test('Pacific/Pago_Pago (UTC-11): a day starts at 11:00 UTC', async () => {
    const { rows } = await csvOf('from=2026-11-20&to=2026-11-20&timezone=Pacific/Pago_Pago');
    expect(rows.map((r) => r.order_id)).toEqual([
      orderAt.get('2026-11-20T11:00:00.000Z'),
      orderAt.get('2026-11-21T10:59:59.999Z'),
    ]);
    expect(rows[0]!.created_at).toBe('2026-11-20T00:00:00-11:00');
  });

  test('JPY, USD and KWD amounts come out exact; a hostile title survives the round trip', async () => {
    const { rows } = await csvOf('from=2026-11-19&to=2026-11-20&timezone=UTC');
    const byId = new Map(rows.map((r) => [r.order_id, r]));
    expect(byId.get(orderAt.get('2026-11-19T09:59:59.999Z')!)).toMatchObject({
      currency: 'JPY',
      subtotal: '500',
      total: '500',
      refunded: '0',
    });
    const paid = byId.get(orderAt.get('2026-11-19T10:00:00.000Z')!)!;
    expect(paid).toMatchObject({
      currency: 'USD',
      subtotal: '19.99',
      total: '19.99',
      status: 'paid',
      buyer_country: 'BR',
      seller_country: 'JP',
      payment_provider: 'manual',
    });
    expect(paid.paid_at).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const kwd = byId.get(orderAt.get('2026-11-20T09:59:59.999Z')!)!;
    expect(kwd).toMatchObject({
      currency: 'KWD',
      subtotal: '1.234',
      discount: '0.000',
      platform_fee: '0.000',
    });
    expect(kwd.items).toMatch(
      /^1 x =HYPERLINK\("http:\/\/evil"\), "quoted"\nline two \(lst_[0-9a-z]+\) @ 1\.234$/,
    );
    for (const row of rows)
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  test('status filter and UTF-8 BOM', async () => {
    const { text, rows } = await csvOf('from=2026-11-01&to=2026-11-30&status=paid&bom=1');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(rows.map((r) => r.order_id)).toEqual([orderAt.get('2026-11-19T10:00:00.000Z')]);
  });

  test.each([
    ['every status', undefined],
    ['paid or shipped', ['paid', 'shipped'] as OrderStatus[]],
  ])('%s: orders are read in orders_created order, never sorted apart', async (_, statuses) => {
    const [sql, values] = orderRowsStatement(
      new Date('2025-12-31T15:00:00Z'),
      new Date('2026-12-31T15:00:00Z'),
      statuses,
    );
    const plan = (await ctx.db.query(`EXPLAIN ${sql}`, values)) as Array<{
      table: string;
      key: string | null;
      Extra: string;
    }>;
    const orders = plan.find((step) => step.table === 'o');
    expect(orders).toMatchObject({ key: 'orders_created' });
    for (const step of plan) expect(step.Extra).not.toMatch(/filesort|temporary/i);
  });

  test.each([
    ['from=2026-11-21&to=2026-11-20', 'from'],
    ['from=2025-01-01&to=2026-02-01', 'to'],
    ['from=2026-11-01&to=2026-11-02&timezone=Mars/Base', 'timezone'],
    ['from=2026-13-01&to=2026-11-02', 'from'],
    ['to=2026-11-02', 'from'],
    ['from=2026-11-01&to=2026-11-02&status=lost', 'status'],
  ])('%s is a 400 naming %s', async (query, param) => {
    const res = await request(ctx.app).get(`/v1/finance/orders.csv?${query}`).set(finance.auth);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request', param });
  });
});

describe('exports for long ranges', () => {
  test('a job writes the file with progress; the download is the same CSV', async () => {
    const created = await request(ctx.app)
      .post('/v1/finance/exports')
      .set(finance.auth)
      .send({ from: '2026-11-19', to: '2026-11-21', timezone: 'Pacific/Pago_Pago' });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'pending', progress: { rowsDone: 0 } });
    const done = await eventually(async () => {
      const res = await request(ctx.app)
        .get(`/v1/finance/exports/${created.body.id}`)
        .set(finance.auth);
      return res.body.status === 'done' ? res.body : null;
    });
    expect(done.progress.rowsDone).toBe(6);
    const download = await request(ctx.app)
      .get(done.downloadUrl)
      .set(finance.auth)
      .buffer(true)
      .parse((response, cb) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => cb(null, text));
      });
    const streamed = await csvOf('from=2026-11-19&to=2026-11-21&timezone=Pacific/Pago_Pago');
    expect(download.body).toBe(streamed.text);
  });

  test('files past EXPORT_RETENTION_DAYS are deleted; their export says expired', async () => {
    const created = await request(ctx.app)
      .post('/v1/finance/exports')
      .set(finance.auth)
      .send({ from: '2026-11-20', to: '2026-11-20' });
    await eventually(
      async () =>
        (await request(ctx.app).get(`/v1/finance/exports/${created.body.id}`).set(finance.auth))
          .body.status === 'done',
    );
    const file = path.join(exportDir, `${created.body.id}.csv`);
    expect(existsSync(file)).toBe(true);
    expect(await ctx.services.finance.purgeOldExports()).toBe(0);
    await ctx.db.query('UPDATE finance_exports SET finished_at = ? WHERE id = ?', [
      new Date(Date.now() - 8 * 86_400_000),
      created.body.id,
    ]);
    expect(await ctx.services.finance.purgeOldExports()).toBe(1);
    expect(existsSync(file)).toBe(false);
    expect(
      (await request(ctx.app).get(`/v1/finance/exports/${created.body.id}`).set(finance.auth)).body
        .status,
    ).toBe('expired');
    expect(
      (
        await request(ctx.app)
          .get(`/v1/finance/exports/${created.body.id}/download`)
          .set(finance.auth)
      ).status,
    ).toBe(409);
  });

  test('a download before the file is ready is a 409', async () => {
    const id = 'exp_01m80000000000000000000000';
    await ctx.db.query(
      `INSERT INTO finance_exports (id, requested_by, from_day, to_day, timezone, status, created_at, updated_at)
       VALUES (?, ?, '2026-11-19', '2026-11-19', 'UTC', 'running', NOW(3), NOW(3))`,
      [id, finance.id],
    );
    const res = await request(ctx.app).get(`/v1/finance/exports/${id}/download`).set(finance.auth);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('export_not_ready');
  });
});

describe('only finance and admin', () => {
  test('members, brands and moderators get 403 on every finance endpoint; anonymous 401', async () => {
    const member = await signUp(ctx.app);
    const brand = await signUpBrand(ctx.app);
    const moderator = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(moderator.email, 'moderator');
    const admin = await signUp(ctx.app);
    await ctx.services.accounts.grantRole(admin.email, 'admin');
    const exported = await request(ctx.app)
      .post('/v1/finance/exports')
      .set(admin.auth)
      .send({ from: '2026-11-19', to: '2026-11-19' });
    expect(exported.status).toBe(202);
    const calls = [
      () => request(ctx.app).get('/v1/finance/orders.csv?from=2026-11-19&to=2026-11-19'),
      () =>
        request(ctx.app).post('/v1/finance/exports').send({ from: '2026-11-19', to: '2026-11-19' }),
      () => request(ctx.app).get(`/v1/finance/exports/${exported.body.id}`),
      () => request(ctx.app).get(`/v1/finance/exports/${exported.body.id}/download`),
    ];
    for (const call of calls) {
      expect((await call()).status).toBe(401);
      for (const who of [member, brand, moderator]) {
        const res = await call().set(who.auth);
        expect(res.status).toBe(403);
        expect(res.body.error.type).toBe('permission');
      }
    }
    expect(
      (
        await request(ctx.app)
          .get('/v1/finance/orders.csv?from=2026-11-19&to=2026-11-19')
          .set(admin.auth)
      ).status,
    ).toBe(200);
  });
});
