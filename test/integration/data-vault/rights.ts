import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { parseDatabaseUrl } from '../../../src/db/database';
import { selectOne } from '../../../src/db/sql';
import { CuttableProxy } from '../../support/fault-servers';
import { ADDRESS, createListing, signUp, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';
import { MYSQL_SERVER_URL, uniqueTestName } from '../../support/test-env';

let ctx: TestContext;
let proxy: CuttableProxy;

beforeAll(async () => {
  // The vault is reached through a proxy the outage test cuts; the main database directly.
  const server = parseDatabaseUrl(`${MYSQL_SERVER_URL}/mysql`).server;
  proxy = await CuttableProxy.start({ host: server.host!, port: server.port! });
  ctx = await startTestContext({
    env: {
      VAULT_DATABASE_URL: `mysql://root@127.0.0.1:${proxy.port}/${uniqueTestName()}_vault`,
      LOG_LEVEL: 'silent',
    },
  });
});

afterAll(async () => {
  proxy?.restore();
  await ctx?.close();
  await proxy?.close();
});

const PASSWORD = 'correct horse battery';
const EU_ADDRESS = { ...ADDRESS, name: 'Joana Lima', country: 'PT' };

async function placeOrder(buyer: TestUser, seller: TestUser, address = EU_ADDRESS) {
  const listing = await createListing(ctx.app, seller, { quantity: 5 });
  const res = await request(ctx.app)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({ items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: address });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function shippedOrder(buyer: TestUser, seller: TestUser, address = EU_ADDRESS) {
  const id = await placeOrder(buyer, seller, address);
  expect((await request(ctx.app).post(`/v1/orders/${id}/pay`).set(buyer.auth)).status).toBe(200);
  const shipped = await request(ctx.app)
    .post(`/v1/orders/${id}/ship`)
    .set(seller.auth)
    .send({ carrier: 'CTT', trackingNumber: 'RR1' });
  expect(shipped.status).toBe(200);
  return id;
}

const erase = (user: TestUser, password = PASSWORD) =>
  request(ctx.app).delete('/v1/me').set(user.auth).send({ password });

describe('DELETE /v1/me: erasure', () => {
  test('an EU member: vault data gone, no sign-in, orders kept under the id, notes without the name', async () => {
    const email = `joana.${randomUUID().slice(0, 8)}@example.pt`;
    const member = await signUp(ctx.app, { email, country: 'PT', displayName: 'Joana' });
    const seller = await signUp(ctx.app);
    const orderId = await shippedOrder(member, seller);
    const note = await request(ctx.app)
      .post('/v1/notes')
      .set(member.auth)
      .send({
        clientId: randomUUID(),
        title: 'Azulejos',
        body: 'Blue tiles on every wall of the old town.',
        languages: ['pt'],
      });
    expect(note.status).toBe(201);

    // An order still open keeps the account: the seller needs the address, the buyer the goods.
    const open = await placeOrder(member, seller);
    expect((await erase(member)).body.error.code).toBe('orders_in_progress');
    await request(ctx.app).post(`/v1/orders/${open}/cancel`).set(member.auth).expect(200);

    const wrong = await erase(member, 'not the password');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', param: 'password' });
    expect((await erase(member)).status).toBe(204);

    expect((await request(ctx.app).get('/v1/me').set(member.auth)).status).toBe(401);
    const login = await request(ctx.app).post('/v1/auth/login').send({ email, password: PASSWORD });
    expect(login.status).toBe(401);
    const order = await request(ctx.app).get(`/v1/orders/${orderId}`).set(seller.auth);
    expect(order.status).toBe(200);
    expect(order.body).toMatchObject({ buyerId: member.id, shippingAddress: null });
    const address = await request(ctx.app)
      .get(`/v1/orders/${orderId}/shipping-address`)
      .set(seller.auth);
    expect(address.status).toBe(404);
    const shown = await request(ctx.app).get(`/v1/notes/${note.body.id}`);
    expect(shown.body.authorName).toBe('Deleted member');
    const vault = await ctx.services.vault.readAll(member.id, { actorId: null, purpose: 'test' });
    expect(vault).toMatchObject({ email: null, shippingAddresses: [] });
    // The email can be used for a new account.
    expect((await signUp(ctx.app, { email, country: 'PT' })).email).toBe(email);
  });

  test('a member outside the vault: the address kept in their orders goes too', async () => {
    const email = `kai.${randomUUID().slice(0, 8)}@example.jp`;
    const member = await signUp(ctx.app, { email });
    const seller = await signUp(ctx.app);
    const orderId = await shippedOrder(member, seller, {
      ...ADDRESS,
      name: 'Kai Sato',
      country: 'JP',
    });
    expect((await erase(member)).status).toBe(204);
    const row = await selectOne<{ email: string; stored: string }>(
      ctx.db,
      `SELECT u.email, o.shipping_address AS stored FROM users u JOIN orders o ON o.buyer_id = u.id
        WHERE o.id = ?`,
      [orderId],
    );
    expect(row!.email).not.toContain(email);
    expect(row!.stored).not.toContain('Kai Sato');
    expect(JSON.parse(row!.stored)).toMatchObject({ country: 'JP' });
  });
});

test('vault outage: its members get a clear 503, everyone else keeps working', async () => {
  const eu = await signUp(ctx.app, { country: 'FR', timezone: 'Europe/Paris' });
  const jp = await signUp(ctx.app);
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller, { quantity: 10 });
  const buy = (buyer: TestUser, address: object) =>
    request(ctx.app)
      .post('/v1/orders')
      .set(buyer.auth)
      .send({ items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: address });

  proxy.cut();
  try {
    for (const res of [
      await request(ctx.app).get('/v1/me').set(eu.auth),
      await buy(eu, { ...EU_ADDRESS, country: 'FR' }),
      await request(ctx.app).post('/v1/me/data-export').set(eu.auth),
      await request(ctx.app)
        .post('/v1/auth/signup')
        .send({
          email: `new.${randomUUID().slice(0, 8)}@example.fr`,
          password: PASSWORD,
          displayName: 'Nouveau',
          country: 'FR',
          accountType: 'member',
        }),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ type: 'unavailable', code: 'vault_unavailable' });
      expect(res.body.error.message).toMatch(/vault/);
    }
    // Members outside the vault: sign-up, their own account, checkout.
    expect((await request(ctx.app).get('/v1/me').set(jp.auth)).status).toBe(200);
    expect((await buy(jp, ADDRESS)).status).toBe(201);
    expect((await signUp(ctx.app)).id).toMatch(/^usr_/);
    // The EU member's public side does not need the vault.
    expect((await request(ctx.app).get(`/v1/users/${eu.id}`)).status).toBe(200);
  } finally {
    proxy.restore();
  }
  expect((await request(ctx.app).get('/v1/me').set(eu.auth)).status).toBe(200);
  expect((await buy(eu, { ...EU_ADDRESS, country: 'FR' })).status).toBe(201);
});
