import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { PUZZLE, waitForStatus } from '../../support/drops';
import { ADDRESS, createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ listen: true, workers: true });
let seller: TestUser;
let buyer: TestUser;

beforeAll(async () => {
  [seller, buyer] = await Promise.all([
    signUpBrand(ctx.app, 'Uji Tea House'),
    signUp(ctx.app, { displayName: 'Marta Nowak', country: 'PL' }),
  ]);
});

const api = () => request(ctx.server);

const order = (as: TestUser, body: Record<string, unknown>) =>
  api()
    .post('/v1/orders')
    .set(as.auth)
    .send({ shippingAddress: ADDRESS, ...body });

const quantityOf = async (listingId: string) =>
  (await selectOne<{ quantity: number }>(ctx.db, 'SELECT quantity FROM listings WHERE id = ?', [
    listingId,
  ]))!.quantity;

const ordersOf = async (buyerId: string) =>
  Number(
    (await selectOne<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM orders WHERE buyer_id = ?', [
      buyerId,
    ]))!.n,
  );

describe('shipsTo is enforced at checkout', () => {
  test('an order to a country the listing does not ship to is 400 cannot_ship_to, nothing taken', async () => {
    const shopper = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller, { quantity: 5, shipsTo: ['US', 'DE'] });
    const refused = await order(shopper, {
      items: [{ listingId: listing.id, quantity: 2 }],
      shippingAddress: { ...ADDRESS, country: 'FR' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      type: 'invalid_request',
      code: 'cannot_ship_to',
      param: 'shippingAddress.country',
    });
    expect(await quantityOf(listing.id)).toBe(5);
    expect(await ordersOf(shopper.id)).toBe(0);

    const accepted = await order(shopper, {
      items: [{ listingId: listing.id, quantity: 2 }],
      shippingAddress: { ...ADDRESS, country: 'de' },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.shippingAddress.country).toBe('DE');
    expect(await quantityOf(listing.id)).toBe(3);
  });

  test('one item that cannot go there refuses the whole order; no shipsTo ships anywhere', async () => {
    const shopper = await signUp(ctx.app);
    const anywhere = await createListing(ctx.app, seller, { quantity: 5 });
    const usOnly = await createListing(ctx.app, seller, { quantity: 5, shipsTo: ['US'] });
    const refused = await order(shopper, {
      items: [
        { listingId: anywhere.id, quantity: 1 },
        { listingId: usOnly.id, quantity: 1 },
      ],
      shippingAddress: { ...ADDRESS, country: 'FR' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('cannot_ship_to');
    expect([await quantityOf(anywhere.id), await quantityOf(usOnly.id)]).toEqual([5, 5]);
    const alone = await order(shopper, {
      items: [{ listingId: anywhere.id, quantity: 1 }],
      shippingAddress: { ...ADDRESS, country: 'FR' },
    });
    expect(alone.status).toBe(201);
  });

  test('a shipsTo changed after listing applies to the next order', async () => {
    const shopper = await signUp(ctx.app);
    const listing = await createListing(ctx.app, seller, { quantity: 5 });
    await api()
      .patch(`/v1/listings/${listing.id}`)
      .set(seller.auth)
      .send({ shipsTo: ['JP'] })
      .expect(200);
    const refused = await order(shopper, { items: [{ listingId: listing.id, quantity: 1 }] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('cannot_ship_to');
  });
});

describe('names on orders', () => {
  test('created, read, listed and moved along: buyerName and sellerName are there', async () => {
    const shop = await signUp(ctx.app, { displayName: 'Kenji Sato' });
    const listing = await createListing(ctx.app, shop, { quantity: 5 });
    const seen: Array<Record<string, unknown>> = [];
    const created = await order(buyer, { items: [{ listingId: listing.id, quantity: 1 }] });
    expect(created.status).toBe(201);
    seen.push(created.body);
    seen.push((await api().get(`/v1/orders/${created.body.id}`).set(shop.auth)).body);
    seen.push(...(await api().get('/v1/orders?role=buyer').set(buyer.auth)).body.data);
    seen.push(...(await api().get('/v1/orders?role=seller').set(shop.auth)).body.data);
    seen.push((await api().post(`/v1/orders/${created.body.id}/pay`).set(buyer.auth)).body);
    seen.push(
      (await api().post(`/v1/orders/${created.body.id}/ship`).set(shop.auth).send({})).body,
    );
    const other = await order(buyer, { items: [{ listingId: listing.id, quantity: 1 }] });
    seen.push((await api().post(`/v1/orders/${other.body.id}/cancel`).set(buyer.auth)).body);
    expect(seen).toHaveLength(7);
    for (const view of seen) {
      expect(view).toMatchObject({
        buyerId: buyer.id,
        buyerName: 'Marta Nowak',
        sellerId: shop.id,
        sellerName: 'Kenji Sato',
      });
    }
  });
});

describe('a listing partly set aside for a drop', () => {
  test('50 units, a drop of 6: 44 sell without a reservation, the 45th is out of stock, a token buys from the drop', async () => {
    const listing = await createListing(ctx.app, seller, {
      quantity: 50,
      priceAmount: 5000,
      currency: 'JPY',
    });
    const created = await api()
      .post('/v1/campaigns/drops')
      .set(seller.auth)
      .send({
        title: 'Half-moon drop',
        listingId: listing.id,
        stock: 6,
        startsAt: new Date(Date.now() + 300).toISOString(),
        timezone: 'Asia/Tokyo',
        durationHours: 1,
        puzzle: PUZZLE,
      });
    expect(created.status).toBe(201);
    const drop = created.body as { id: string; startsAt: string; endsAt: string };
    const scheduled = await api().get(`/v1/listings/${listing.id}`);
    expect(scheduled.body).toMatchObject({
      quantity: 44,
      drop: { id: drop.id, status: 'scheduled', startsAt: drop.startsAt, endsAt: drop.endsAt },
    });
    await waitForStatus(ctx.app, drop.id, 'live');
    const live = await api().get(`/v1/listings/${listing.id}`);
    expect(live.body.drop).toEqual({
      id: drop.id,
      status: 'live',
      startsAt: drop.startsAt,
      endsAt: drop.endsAt,
    });
    const browsed = await api().get(`/v1/listings?sellerId=${seller.id}&limit=100`);
    expect(browsed.body.data.find((l: { id: string }) => l.id === listing.id).drop.id).toBe(
      drop.id,
    );

    // The 44 units outside the drop: one big order and four small ones at once.
    const shoppers = await Promise.all(Array.from({ length: 6 }, () => signUp(ctx.app)));
    const big = await order(shoppers[0]!, { items: [{ listingId: listing.id, quantity: 40 }] });
    expect(big.status).toBe(201);
    expect(big.body.dropId).toBeNull();
    const small = await Promise.all(
      shoppers
        .slice(1, 5)
        .map((s) => order(s, { items: [{ listingId: listing.id, quantity: 1 }] })),
    );
    expect(small.map((res) => res.status)).toEqual([201, 201, 201, 201]);
    const extra = await order(shoppers[5]!, { items: [{ listingId: listing.id, quantity: 1 }] });
    expect(extra.status).toBe(409);
    expect(extra.body.error.code).toBe('out_of_stock');
    expect(await quantityOf(listing.id)).toBe(0);

    // The drop's 6 units are untouched: a winner's token buys one of them.
    const winner = shoppers[5]!;
    const won = await api()
      .post(`/v1/campaigns/drops/${drop.id}/attempts`)
      .set(winner.auth)
      .send({ answer: 'Mount Fuji' });
    expect(won.body.correct).toBe(true);
    const bought = await order(winner, {
      items: [{ listingId: listing.id, quantity: 1 }],
      reservationToken: won.body.reservation.token,
    });
    expect(bought.status).toBe(201);
    expect(bought.body.dropId).toBe(drop.id);
    await api().post(`/v1/orders/${bought.body.id}/pay`).set(winner.auth).expect(200);
    expect(await quantityOf(listing.id)).toBe(0);
    const stats = await api().get(`/v1/campaigns/drops/${drop.id}/stats`).set(seller.auth);
    expect(stats.body).toMatchObject({ unitsSold: 1, stockLeft: 5 });

    // Canceling the drop gives back only what it still holds (5), never the 44 sold outside it.
    await api().post(`/v1/campaigns/drops/${drop.id}/cancel`).set(seller.auth).expect(200);
    expect(await quantityOf(listing.id)).toBe(5);
    expect((await api().get(`/v1/listings/${listing.id}`)).body.drop).toBeNull();
  });

  test('a canceled order of the non-drop units gives them back to the listing, not the drop', async () => {
    const listing = await createListing(ctx.app, seller, { quantity: 10 });
    const created = await api()
      .post('/v1/campaigns/drops')
      .set(seller.auth)
      .send({
        title: 'Small drop',
        listingId: listing.id,
        stock: 4,
        startsAt: new Date(Date.now() + 300).toISOString(),
        timezone: 'Asia/Tokyo',
        durationHours: 1,
        puzzle: PUZZLE,
      });
    expect(created.status).toBe(201);
    await waitForStatus(ctx.app, created.body.id, 'live');
    const shopper = await signUp(ctx.app);
    const held = await order(shopper, { items: [{ listingId: listing.id, quantity: 6 }] });
    expect(held.status).toBe(201);
    expect(await quantityOf(listing.id)).toBe(0);
    await api().post(`/v1/orders/${held.body.id}/cancel`).set(shopper.auth).expect(200);
    expect(await quantityOf(listing.id)).toBe(6);
    const stats = await api().get(`/v1/campaigns/drops/${created.body.id}/stats`).set(seller.auth);
    expect(stats.body.stockLeft).toBe(4);
  });

  test('two drops on one listing: it shows the first, then the next once the first is canceled', async () => {
    const listing = await createListing(ctx.app, seller, { quantity: 10 });
    const make = async (inMs: number) => {
      const res = await api()
        .post('/v1/campaigns/drops')
        .set(seller.auth)
        .send({
          title: `Drop in ${inMs} ms`,
          listingId: listing.id,
          stock: 2,
          startsAt: new Date(Date.now() + inMs).toISOString(),
          timezone: 'UTC',
          durationHours: 1,
          puzzle: PUZZLE,
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const first = await make(3600_000);
    const second = await make(7200_000);
    const shown = async () => (await api().get(`/v1/listings/${listing.id}`)).body.drop;
    expect((await shown()).id).toBe(first);
    const own = await api().get('/v1/me/listings?status=active&limit=100').set(seller.auth);
    expect(own.body.data.find((l: { id: string }) => l.id === listing.id).drop.id).toBe(first);
    await api().post(`/v1/campaigns/drops/${first}/cancel`).set(seller.auth).expect(200);
    expect(await shown()).toMatchObject({ id: second, status: 'scheduled' });
    await api().post(`/v1/campaigns/drops/${second}/cancel`).set(seller.auth).expect(200);
    expect(await shown()).toBeNull();
    expect(await quantityOf(listing.id)).toBe(10);
  });
});
