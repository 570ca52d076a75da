import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { startWorkers, type RunningWorkers } from '../../../jobs/worker';
import { selectRows } from '../../../src/db/sql';
import { createListing, signUp, until, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import { MailReceiver } from '../../support/mail-receiver';

let ctx: TestContext;
let workers: RunningWorkers;
const inbox = new MailReceiver();
const logLines: string[] = [];

beforeAll(async () => {
  const smtpUrl = await inbox.start();
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  ctx = await startTestContext({
    env: { SMTP_URL: smtpUrl, LOG_LEVEL: 'info' },
    logStream,
  });
  workers = await startWorkers(ctx.deps, ctx.services);
});

afterAll(async () => {
  await workers.close();
  await ctx.close();
  await inbox.close();
});

const tag = randomUUID().slice(0, 8);
/** Strings no other test writes: any trace of them in the main database is a leak. */
const EU = {
  email: `wilhelmina.${tag}@example.de`,
  name: `Wilhelmina Quastenberger ${tag}`,
  line1: `Zypressenweg ${tag} 917`,
  line2: `Hinterhaus ${tag}`,
};
const EU_ADDRESS = {
  name: EU.name,
  line1: EU.line1,
  line2: EU.line2,
  city: 'Quedlinburg',
  postalCode: '06484',
  country: 'DE',
};

/** Every text-like column of every table of the main database: rows containing `needle`. */
async function findInMainDatabase(needle: string): Promise<string[]> {
  const columns = await selectRows<{ t: string; c: string }>(
    ctx.db,
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE()
        AND DATA_TYPE IN ('char','varchar','tinytext','text','mediumtext','longtext','json',
                          'binary','varbinary','tinyblob','blob','mediumblob','longblob','enum','set')`,
  );
  expect(columns.length).toBeGreaterThan(50);
  const found: string[] = [];
  for (const { t, c } of columns) {
    const [row] = await selectRows<{ n: number }>(
      ctx.db,
      `SELECT COUNT(*) AS n FROM \`${t}\` WHERE LOCATE(?, CONVERT(\`${c}\` USING utf8mb4)) > 0`,
      [needle],
    );
    if (Number(row!.n) > 0) found.push(`${t}.${c}`);
  }
  return found;
}

/** Every value under this file's Redis prefix (queues' jobs included): keys holding `needle`. */
async function findInRedis(needle: string): Promise<string[]> {
  const found: string[] = [];
  const keys = await ctx.redis.keys(`${ctx.config.REDIS_PREFIX}*`);
  expect(keys.length).toBeGreaterThan(10);
  for (const key of keys) {
    const type = await ctx.redis.type(key);
    const values: unknown =
      type === 'string'
        ? await ctx.redis.get(key)
        : type === 'hash'
          ? await ctx.redis.hgetall(key)
          : type === 'list'
            ? await ctx.redis.lrange(key, 0, -1)
            : type === 'set'
              ? await ctx.redis.smembers(key)
              : type === 'zset'
                ? await ctx.redis.zrange(key, '0', '-1')
                : type === 'stream'
                  ? await ctx.redis.xrange(key, '-', '+')
                  : null;
    if (JSON.stringify(values).includes(needle)) found.push(key);
  }
  return found;
}

async function order(buyer: TestUser, listingId: string, address: object) {
  const res = await request(ctx.app)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({ items: [{ listingId, quantity: 1 }], shippingAddress: address });
  expect(res.status).toBe(201);
  return res.body as { id: string; shippingAddress: unknown };
}

test("an EU member's full journey leaves their email, names and address lines in no table of the main database and no log line", async () => {
  const buyer = await signUp(ctx.app, {
    email: EU.email,
    country: 'DE',
    timezone: 'Europe/Berlin',
    displayName: 'Mina',
  });
  expect(buyer.email).toBe(EU.email);
  const seller = await signUp(ctx.app);
  const stranger = await signUp(ctx.app);
  const finance = await signUp(ctx.app);
  await ctx.services.accounts.grantRole(finance.email, 'finance');

  // Sign-in and the member's own view still work, by the email's HMAC and through the vault.
  const login = await request(ctx.app)
    .post('/v1/auth/login')
    .send({ email: EU.email.toUpperCase(), password: 'correct horse battery' });
  expect(login.status).toBe(200);
  expect(login.body.user.email).toBe(EU.email);
  const me = await request(ctx.app).get('/v1/me').set(buyer.auth);
  expect(me.body).toMatchObject({ id: buyer.id, email: EU.email, displayName: 'Mina' });
  const twin = await request(ctx.app).post('/v1/auth/signup').send({
    email: EU.email,
    password: 'correct horse battery',
    displayName: 'Twin',
    country: 'JP',
    accountType: 'member',
  });
  expect(twin.status).toBe(409);

  // An order with an address: nobody sees it in the order; the seller reads it, logged.
  const listing = await createListing(ctx.app, seller, { quantity: 5 });
  const placed = await order(buyer, listing.id, EU_ADDRESS);
  expect(placed.shippingAddress).toBeNull();
  const sellerRead = () =>
    request(ctx.app).get(`/v1/orders/${placed.id}/shipping-address`).set(seller.auth);
  expect((await sellerRead()).status).toBe(409); // not paid yet
  expect((await request(ctx.app).post(`/v1/orders/${placed.id}/pay`).set(buyer.auth)).status).toBe(
    200,
  );
  const read = await sellerRead();
  expect(read.status).toBe(200);
  expect(read.body).toEqual(EU_ADDRESS);
  const sellerView = await request(ctx.app).get(`/v1/orders/${placed.id}`).set(seller.auth);
  expect(sellerView.body.shippingAddress).toBeNull();
  expect(
    (await request(ctx.app).get(`/v1/orders/${placed.id}/shipping-address`).set(stranger.auth))
      .status,
  ).toBe(404);
  const own = await request(ctx.app)
    .get(`/v1/orders/${placed.id}/shipping-address`)
    .set(buyer.auth);
  expect(own.body).toEqual(EU_ADDRESS);
  const shipped = await request(ctx.app)
    .post(`/v1/orders/${placed.id}/ship`)
    .set(seller.auth)
    .send({ carrier: 'DHL', trackingNumber: 'JD0001' });
  expect(shipped.status).toBe(200);
  expect((await sellerRead()).status).toBe(200); // within 30 days of shipping
  await ctx.db.query('UPDATE orders SET shipped_at = NOW(3) - INTERVAL 31 DAY WHERE id = ?', [
    placed.id,
  ]);
  const late = await sellerRead();
  expect(late.status).toBe(409);
  expect(late.body.error.code).toBe('shipping_address_unavailable');

  // Notes and points work the same.
  const note = await request(ctx.app)
    .post('/v1/notes')
    .set(buyer.auth)
    .send({
      clientId: randomUUID(),
      title: 'Fachwerk in Quedlinburg',
      body: 'Timber-framed houses, a thousand years of them.',
      languages: ['de'],
    });
  expect(note.status).toBe(201);
  expect((await request(ctx.app).get('/v1/me/points').set(buyer.auth)).status).toBe(200);

  // Mail reaches the member: the receipt and a password reset, addressed through the vault.
  expect(
    (await request(ctx.app).post('/v1/auth/password-reset').send({ email: EU.email })).status,
  ).toBe(202);
  await until('four mails to the member', async () => {
    const to = inbox.received.filter((mail) => JSON.stringify(mail.to).includes(EU.email));
    return to.length >= 4 ? to : undefined; // verification, receipt, shipped, reset
  });

  // The data export: everything, once.
  const asked = await request(ctx.app).post('/v1/me/data-export').set(buyer.auth);
  expect(asked.status).toBe(202);
  const jobId = asked.body.jobId as string;
  await until('the export is ready', async () => {
    const status = await request(ctx.app).get(`/v1/me/data-export/${jobId}`).set(buyer.auth);
    return status.body.status === 'ready' ? status : undefined;
  });
  const file = await request(ctx.app)
    .get(`/v1/me/data-export/${jobId}/download`)
    .set(buyer.auth)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    });
  expect(file.status).toBe(200);
  const data = JSON.parse(file.body as string) as {
    account: { email: string; id: string };
    vault: { shippingAddresses: Array<{ name: string }>; accessLog: Array<{ actorId: string }> };
    tables: Record<string, unknown[]>;
  };
  expect(data.account).toMatchObject({ id: buyer.id, email: EU.email });
  expect(data.vault.shippingAddresses[0]!.name).toBe(EU.name);
  expect(data.vault.accessLog.map((entry) => entry.actorId)).toContain(seller.id);
  expect(JSON.stringify(data.tables['orders (buyer_id)'])).toContain(EU.line1);
  expect(JSON.stringify(data.tables['notes (author_id)'])).toContain('Fachwerk');
  expect(
    (await request(ctx.app).get(`/v1/me/data-export/${jobId}/download`).set(buyer.auth)).status,
  ).toBe(409);
  expect(
    (await request(ctx.app).get(`/v1/me/data-export/${jobId}`).set(stranger.auth)).status,
  ).toBe(404);

  // Every read of vault data is in the access log: who, what, why.
  const log = await ctx.services.vault.accessLog(buyer.id);
  expect(log).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        actorId: seller.id,
        what: 'shipping_address',
        ref: expect.any(String),
        purpose: 'order_seller',
      }),
      expect.objectContaining({ actorId: buyer.id, what: 'email', purpose: 'account_view' }),
      expect.objectContaining({
        actorId: null,
        what: 'email',
        purpose: expect.stringMatching(/^mail:/),
      }),
    ]),
  );

  // The finance CSV: ids only.
  const day = new Date().toISOString().slice(0, 10);
  const csv = await request(ctx.app)
    .get(`/v1/finance/orders.csv?from=${day}&to=${day}&timezone=UTC`)
    .set(finance.auth);
  expect(csv.status).toBe(200);
  expect(csv.text).toContain(buyer.id);

  // Now look everywhere.
  for (const needle of [EU.email, EU.name, EU.line1, EU.line2]) {
    expect({ needle, found: await findInMainDatabase(needle) }).toEqual({ needle, found: [] });
    expect(csv.text).not.toContain(needle);
  }
  // Redis, where queues keep jobs a day after they ran (the password reset's among them).
  const probe = `${ctx.config.REDIS_PREFIX}:leak-probe`;
  await ctx.redis.set(probe, `probe ${EU.line1}`);
  expect(await findInRedis(EU.line1)).toEqual([probe]);
  await ctx.redis.del(probe);
  for (const needle of [EU.email, EU.name, EU.line1, EU.line2])
    expect({ needle, found: await findInRedis(needle) }).toEqual({ needle, found: [] });
  const logged = logLines.join('');
  expect(logged).toContain('"level":30');
  expect(logged).toContain('request completed');
  for (const needle of [EU.email, EU.name, EU.line1, EU.line2])
    expect(logged).not.toContain(needle);
});

test("a member outside the vault's countries keeps their data where it always was", async () => {
  const email = `kenji.${tag}@example.jp`;
  const buyer = await signUp(ctx.app, { email });
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller);
  const address = { ...EU_ADDRESS, name: `Kenji ${tag}`, country: 'JP' };
  const placed = await order(buyer, listing.id, address);
  expect(placed.shippingAddress).toEqual(address);
  const sellerView = await request(ctx.app).get(`/v1/orders/${placed.id}`).set(seller.auth);
  expect(sellerView.body.shippingAddress).toEqual(address);
  const [row] = await selectRows<{ email: string; stored: string }>(
    ctx.db,
    `SELECT u.email, o.shipping_address AS stored FROM users u JOIN orders o ON o.buyer_id = u.id
      WHERE u.id = ?`,
    [buyer.id],
  );
  expect(row!.email).toBe(email);
  // The scan the EU journey passes does find data where it is.
  expect(await findInMainDatabase(email)).toContain('users.email');
  expect(await findInMainDatabase(address.name)).toContain('orders.shipping_address');
  expect(JSON.parse(row!.stored)).toEqual(address);
});
