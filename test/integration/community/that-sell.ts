import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;
let server: Server;
let brand: TestUser;
let otherBrand: TestUser;
let writer: TestUser;
let buyer: TestUser;
let finance: TestUser;
let bowl: string;
let tin: string;

beforeAll(async () => {
  ctx = await startTestContext();
  server = ctx.app.listen(0);
  [brand, otherBrand, writer, buyer, finance] = await Promise.all([
    signUpBrand(ctx.app, 'Uji Tea'),
    signUpBrand(ctx.app, 'Other Tea'),
    signUp(ctx.app),
    signUp(ctx.app, { country: 'BR' }),
    signUp(ctx.app),
  ]);
  await ctx.services.accounts.grantRole(finance.email, 'finance');
  const [first, second] = await Promise.all([
    createListing(ctx.app, brand, { quantity: 50, priceAmount: 3000 }),
    createListing(ctx.app, brand, { quantity: 50, priceAmount: 1000, title: 'Gyokuro tin' }),
  ]);
  bowl = first.id;
  tin = second.id;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await ctx.close();
});

const api = () => request(server);

const note = (fields: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  title: 'Tea in Uji',
  body: 'How the first flush is picked, and the bowl I drink it from.',
  languages: ['ja', 'en'],
  ...fields,
});

async function postNote(listingIds: string[], author = writer) {
  const res = await api().post('/v1/notes').set(author.auth).send(note({ listingIds }));
  expect(res.status).toBe(201);
  return res.body as { id: string; listingIds: string[]; version: number; clientId: string };
}

function order(listingId: string, referringNoteId?: string, quantity = 1) {
  return api()
    .post('/v1/orders')
    .set(buyer.auth)
    .send({
      items: [{ listingId, quantity }],
      shippingAddress: ADDRESS,
      ...(referringNoteId === undefined ? {} : { referringNoteId }),
    });
}

async function paidOrder(listingId: string, referringNoteId: string, quantity = 1) {
  const created = await order(listingId, referringNoteId, quantity);
  expect(created.status).toBe(201);
  const paid = await api().post(`/v1/orders/${created.body.id}/pay`).set(buyer.auth);
  expect(paid.status).toBe(200);
  return created.body as { id: string; totalAmount: number; referringNoteId: string };
}

describe('a note links up to 5 listings on sale', () => {
  test('the note shows the listings it links, in order, each once', async () => {
    const res = await api()
      .post('/v1/notes')
      .set(writer.auth)
      .send(note({ listingIds: [tin, bowl, tin] }));
    expect(res.status).toBe(201);
    expect(res.body.listingIds).toEqual([tin, bowl]);
    const view = await api().get(`/v1/notes/${res.body.id}`);
    expect(view.body.listingIds).toEqual([tin, bowl]);
    const plain = await postNote([]);
    expect(plain.listingIds).toEqual([]);
  });

  test('an unknown listing is 404, a paused one 409, six are 400; nothing is written', async () => {
    const paused = await createListing(ctx.app, brand);
    await api().patch(`/v1/listings/${paused.id}`).set(brand.auth).send({ status: 'paused' });
    const archived = await createListing(ctx.app, brand);
    await api().delete(`/v1/listings/${archived.id}`).set(brand.auth);
    const unknown = 'lst_00000000000000000000000000';
    const cases: Array<[unknown, number, string, string]> = [
      [[bowl, unknown], 404, 'listing_not_found', 'listingIds.1'],
      [[archived.id], 404, 'listing_not_found', 'listingIds.0'],
      [[paused.id], 409, 'listing_not_available', 'listingIds.0'],
      [[bowl, tin, paused.id, archived.id, unknown, 'lst_x'], 400, 'too_big', 'listingIds'],
      [['not an id!'], 400, 'invalid_string', 'listingIds.0'],
      ['lst_1', 400, 'invalid_type', 'listingIds'],
    ];
    for (const [listingIds, status, , param] of cases) {
      const draft = note({ listingIds });
      const res = await api().post('/v1/notes').set(writer.auth).send(draft);
      expect(res.status).toBe(status);
      expect(res.body.error.param).toBe(param);
      if (status !== 400)
        expect(res.body.error.code).toBe(cases.find((c) => c[0] === listingIds)![2]);
      // The same clientId is free: the refused note was not written.
      const again = await api()
        .post('/v1/notes')
        .set(writer.auth)
        .send({ ...draft, listingIds: [] });
      expect(again.status).toBe(201);
    }
  });

  test('an offline edit changes the links; a link kept after its listing paused stays valid', async () => {
    const listing = await createListing(ctx.app, brand);
    const created = await postNote([listing.id]);
    await api().patch(`/v1/listings/${listing.id}`).set(brand.auth).send({ status: 'paused' });
    const sync = (listingIds: string[], baseVersion: number) =>
      api()
        .post('/v1/notes/sync')
        .set(writer.auth)
        .send({
          notes: [{ ...note({ listingIds }), clientId: created.clientId, baseVersion }],
        });
    const kept = await sync([listing.id, bowl], 1);
    expect(kept.status).toBe(200);
    expect(kept.body.results[0].version).toBe(2);
    expect((await api().get(`/v1/notes/${created.id}`)).body.listingIds).toEqual([
      listing.id,
      bowl,
    ]);
    const other = await createListing(ctx.app, brand);
    await api().patch(`/v1/listings/${other.id}`).set(brand.auth).send({ status: 'paused' });
    const refused = await sync([bowl, other.id], 2);
    expect(refused.status).toBe(409);
    expect(refused.body.error.param).toBe('notes.0.listingIds.1');
  });
});

describe('an order names the note it came through', () => {
  test('stored on the order and shown to buyer and seller', async () => {
    const linking = await postNote([bowl]);
    const created = await order(bowl, linking.id);
    expect(created.status).toBe(201);
    expect(created.body.referringNoteId).toBe(linking.id);
    const seen = await api().get(`/v1/orders/${created.body.id}`).set(brand.auth);
    expect(seen.body.referringNoteId).toBe(linking.id);
    const plain = await order(bowl);
    expect(plain.status).toBe(201);
    expect(plain.body.referringNoteId).toBeNull();
  });

  test('a note that does not exist, is not published, or links none of the items is refused', async () => {
    const linking = await postNote([bowl]);
    const deleted = await postNote([bowl]);
    await api().delete(`/v1/notes/${deleted.id}`).set(writer.auth);
    const before = (await api().get(`/v1/listings/${bowl}`)).body.quantity as number;
    const cases: Array<[string, number, string]> = [
      ['nte_00000000000000000000000000', 404, 'note_not_found'],
      [deleted.id, 404, 'note_not_found'],
    ];
    for (const [id, status, code] of cases) {
      const res = await order(bowl, id);
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code, param: 'referringNoteId' });
    }
    const unlinked = await order(tin, linking.id);
    expect(unlinked.status).toBe(400);
    expect(unlinked.body.error).toMatchObject({
      type: 'invalid_request',
      code: 'note_not_linked',
      param: 'referringNoteId',
    });
    for (const bad of ['', 'nte 1', 42, null]) {
      const res = await order(bowl, bad as string);
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe('referringNoteId');
    }
    // No order held stock on the way.
    expect((await api().get(`/v1/listings/${bowl}`)).body.quantity).toBe(before);
  });

  test('a note held in the buffer cannot be named yet', async () => {
    await ctx.services.notes.policies.replace(
      { countries: [], tags: ['held'] },
      'usr_test',
      new Date(),
    );
    try {
      const res = await api()
        .post('/v1/notes')
        .set(writer.auth)
        .send(note({ listingIds: [bowl], cultureTags: ['held'] }));
      expect(res.body.status).toBe('pending_review');
      const refused = await order(bowl, res.body.id);
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('note_not_found');
    } finally {
      await ctx.services.notes.policies.replace(
        { countries: [], tags: [] },
        'usr_test',
        new Date(),
      );
    }
  });
});

describe('content impact: what each note brought the seller', () => {
  test('paid orders and net revenue per note; unpaid ones and other sellers count nothing', async () => {
    const seller = await signUpBrand(ctx.app, 'Impact Tea');
    const [a, b] = await Promise.all([
      createListing(ctx.app, seller, { quantity: 20, priceAmount: 2500, currency: 'JPY' }),
      createListing(ctx.app, seller, { quantity: 20, priceAmount: 800, currency: 'JPY' }),
    ]);
    const selling = await postNote([a.id, b.id]);
    const quiet = await postNote([b.id]);
    const first = await paidOrder(a.id, selling.id, 2);
    const second = await paidOrder(b.id, selling.id);
    await order(a.id, selling.id); // pending: not counted
    const refunded = await api()
      .post(`/v1/orders/${second.id}/refund`)
      .set(seller.auth)
      .send({ amount: 300 });
    expect(refunded.status).toBe(200);

    const res = await api().get('/v1/brands/me/content-impact').set(seller.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        {
          noteId: quiet.id,
          title: 'Tea in Uji',
          authorId: writer.id,
          authorName: 'Test',
          orders: 0,
          revenueAmount: 0,
          currency: 'JPY',
        },
        {
          noteId: selling.id,
          title: 'Tea in Uji',
          authorId: writer.id,
          authorName: 'Test',
          orders: 2,
          revenueAmount: first.totalAmount + second.totalAmount - 300,
          currency: 'JPY',
        },
      ],
      nextCursor: null,
    });
    // The seller's own view answers the same; another brand sees none of it.
    expect((await api().get('/v1/me/content-impact').set(seller.auth)).body).toEqual(res.body);
    const other = await api().get('/v1/brands/me/content-impact').set(otherBrand.auth);
    expect(other.body.data.map((row: { noteId: string }) => row.noteId)).not.toContain(selling.id);
    // Pages by note.
    const page = await api().get('/v1/brands/me/content-impact?limit=1').set(seller.auth);
    expect(page.body.data.map((row: { noteId: string }) => row.noteId)).toEqual([quiet.id]);
    const next = await api()
      .get(`/v1/brands/me/content-impact?limit=1&cursor=${page.body.nextCursor}`)
      .set(seller.auth);
    expect(next.body.data.map((row: { noteId: string }) => row.noteId)).toEqual([selling.id]);
    expect(next.body.nextCursor).toBeNull();
  });

  test('bad queries are 400; a member is 403 on the brand path and 401 without a token', async () => {
    for (const query of ['limit=0', 'limit=101', 'cursor=nope', 'sort=revenue']) {
      const res = await api().get(`/v1/brands/me/content-impact?${query}`).set(brand.auth);
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('invalid_request');
    }
    expect((await api().get('/v1/brands/me/content-impact').set(writer.auth)).status).toBe(403);
    expect((await api().get('/v1/brands/me/content-impact')).status).toBe(401);
    expect((await api().get('/v1/me/content-impact').set(writer.auth)).status).toBe(200);
  });

  test('the finance CSV carries referring_note_id as its last column', async () => {
    const linking = await postNote([tin]);
    const sold = await paidOrder(tin, linking.id);
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const res = await api()
      .get(`/v1/finance/orders.csv?from=${day(-1)}&to=${day(1)}&timezone=UTC`)
      .set(finance.auth);
    expect(res.status).toBe(200);
    const rows = parse(res.text) as string[][];
    expect(rows[0]!.at(-1)).toBe('referring_note_id');
    const row = rows.find((cells) => cells[0] === sold.id)!;
    expect(row.at(-1)).toBe(linking.id);
    expect(rows.filter((cells) => cells.at(-1) === '').length).toBeGreaterThan(0);
  });
});
