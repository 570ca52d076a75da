import { randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { execute, selectOne, selectRows } from '../../../src/db/sql';
import { prepareVault } from '../../../src/vault/vault-start';
import { ADDRESS, createListing, signUp } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp();
const silent = pino({ level: 'silent' });

/*
 * A member whose data is in the main database although their country is one of the vault's:
 * their account and orders are from before the vault (or before their country joined
 * VAULT_COUNTRIES). The service's start moves it, as it does at every start.
 */
test("the start moves a vault-country member's email and order addresses into the vault, once", async () => {
  const email = `henrike.${randomUUID().slice(0, 8)}@example.de`;
  const buyer = await signUp(ctx.app, { email, country: 'JP' });
  const seller = await signUp(ctx.app);
  const listing = await createListing(ctx.app, seller, { quantity: 3 });
  const address = { ...ADDRESS, name: 'Henrike Brandt', line1: 'Lindenallee 4', country: 'DE' };
  const placed = await request(ctx.app)
    .post('/v1/orders')
    .set(buyer.auth)
    .send({ items: [{ listingId: listing.id, quantity: 1 }], shippingAddress: address });
  expect(placed.status).toBe(201);
  expect(placed.body.shippingAddress).toEqual(address);
  // Their country joins the vault's: the rows still hold their data.
  await execute(ctx.db, "UPDATE users SET country = 'DE' WHERE id = ?", [buyer.id]);
  const before = await selectOne<{ n: number }>(
    ctx.db,
    'SELECT COUNT(*) AS n FROM mail_outbox WHERE to_address = ?',
    [email],
  );
  expect(Number(before!.n)).toBeGreaterThan(0); // the verification mail

  await prepareVault(ctx.services, ctx.db, silent);

  const user = await selectOne<{ email: string }>(ctx.db, 'SELECT email FROM users WHERE id = ?', [
    buyer.id,
  ]);
  expect(user!.email).toBe(`${buyer.id}@vault.invalid`);
  const order = await selectOne<{ stored: string }>(
    ctx.db,
    'SELECT shipping_address AS stored FROM orders WHERE id = ?',
    [placed.body.id],
  );
  expect(JSON.parse(order!.stored)).toEqual({ vaultRef: expect.any(String), country: 'DE' });
  expect(order!.stored).not.toContain('Henrike');
  const outbox = await selectRows<{ to: string }>(
    ctx.db,
    'SELECT to_address AS `to` FROM mail_outbox WHERE event_key LIKE ? OR to_address = ?',
    [`%${buyer.id}%`, email],
  );
  expect(outbox.map((row) => row.to)).not.toContain(email);

  // The member notices nothing: same sign-in, same email shown, the address on their order.
  const signIn = await request(ctx.app)
    .post('/v1/auth/login')
    .send({ email, password: 'correct horse battery' });
  expect(signIn.status).toBe(200);
  const auth = { Authorization: `Bearer ${signIn.body.token as string}` };
  expect((await request(ctx.app).get('/v1/me').set(auth)).body.email).toBe(email);
  const shown = await request(ctx.app)
    .get(`/v1/orders/${placed.body.id as string}/shipping-address`)
    .set(auth);
  expect(shown.status).toBe(200);
  expect(shown.body).toEqual(address);

  // Safe to run again (each start does): nothing moves twice.
  const sealed = order!.stored;
  await prepareVault(ctx.services, ctx.db, silent);
  const again = await selectOne<{ stored: string }>(
    ctx.db,
    'SELECT shipping_address AS stored FROM orders WHERE id = ?',
    [placed.body.id],
  );
  expect(again!.stored).toBe(sealed);
  expect((await request(ctx.app).get('/v1/me').set(auth)).body.email).toBe(email);
});

test('the start gives every account from before the email HMAC its digest, batch after batch', async () => {
  const member = await signUp(ctx.app);
  const digest = await selectOne<{ hmac: string }>(
    ctx.db,
    'SELECT email_hmac AS hmac FROM users WHERE id = ?',
    [member.id],
  );
  // 1,100 accounts without one, more than two of the start's batches, and the member's too.
  const legacy = Array.from({ length: 1100 }, (_, i) => `usr_legacy${String(i).padStart(5, '0')}`);
  const now = new Date();
  await execute(
    ctx.db,
    `INSERT INTO users (id, email, password_hash, display_name, country, timezone, roles,
       auto_convert_points, created_at, updated_at)
     VALUES ${legacy.map(() => "(?, ?, 'scrypt$disabled', 'Legacy', 'JP', 'Asia/Tokyo', 'member', 0, ?, ?)").join(', ')}`,
    legacy.flatMap((id) => [id, `${id}@legacy.test`, now, now]),
  );
  await execute(ctx.db, 'UPDATE users SET email_hmac = NULL WHERE id = ?', [member.id]);

  await prepareVault(ctx.services, ctx.db, silent);

  const missing = await selectOne<{ n: number }>(
    ctx.db,
    "SELECT COUNT(*) AS n FROM users WHERE email_hmac IS NULL AND email NOT LIKE '%@vault.invalid'",
  );
  expect(Number(missing!.n)).toBe(0);
  const restored = await selectOne<{ hmac: string }>(
    ctx.db,
    'SELECT email_hmac AS hmac FROM users WHERE id = ?',
    [member.id],
  );
  expect(restored!.hmac).toBe(digest!.hmac);
  const legacyDigests = await selectRows<{ email: string; hmac: string }>(
    ctx.db,
    "SELECT email, email_hmac AS hmac FROM users WHERE id LIKE 'usr_legacy%'",
  );
  expect(legacyDigests).toHaveLength(1100);
  for (const row of legacyDigests) expect(row.hmac).toBe(ctx.services.accounts.emailKey(row.email));
  const signIn = await request(ctx.app)
    .post('/v1/auth/login')
    .send({ email: member.email, password: 'correct horse battery' });
  expect(signIn.status).toBe(200);
});
