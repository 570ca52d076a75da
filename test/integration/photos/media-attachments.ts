import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { purgeUnattachedMedia } from '../../../jobs/processors/purge-unattached-media';
import { execute, selectOne, selectRows } from '../../../src/db/sql';
import { createListing, type TestUser } from '../../support/fixtures';
import { photo } from '../../support/media-files';
import { mediaClient, pathOf, useMediaWorld } from './media-world';

/** Photos attached to listings and notes, and the purge of those never attached. */
const world = useMediaWorld();
const { ctx, mediaDir } = world;
const { uploaded } = mediaClient(world);
let member: TestUser;
let other: TestUser;

beforeAll(() => {
  ({ member, other } = world);
});

describe('photos on listings', () => {
  test('a listing takes media ids and URLs; its views give each photo its variants', async () => {
    const media = await uploaded(await photo(1600, 1200).jpeg().toBuffer());
    const listing = await createListing(ctx.app, member, {
      images: [media.id, 'https://img.example/b.jpg'],
    });
    const expected = {
      images: [media.variants.medium, 'https://img.example/b.jpg'],
      media: [{ id: media.id, width: 1600, height: 1200, variants: media.variants }],
    };
    expect(listing).toMatchObject(expected);
    const one = await request(ctx.app).get(`/v1/listings/${listing.id}`);
    expect(one.body).toMatchObject(expected);
    const page = await request(ctx.app).get(`/v1/listings?sellerId=${member.id}`);
    expect(page.body.data.find((l: { id: string }) => l.id === listing.id)).toMatchObject(expected);
    const row = await selectOne<{ attachedAt: Date | null }>(
      ctx.db,
      'SELECT attached_at AS attachedAt FROM media WHERE id = ?',
      [media.id],
    );
    expect(row?.attachedAt).toBeInstanceOf(Date);
  });

  test("another member's photo or an unknown id: 400 naming images.N, nothing written", async () => {
    const mine = await uploaded(await photo(100, 100).jpeg().toBuffer());
    const body = {
      title: 'Kimono',
      description: 'Silk',
      priceAmount: 5000,
      currency: 'JPY',
      quantity: 1,
      category: 'clothing',
      condition: 'used',
    };
    const stolen = await request(ctx.app)
      .post('/v1/listings')
      .set(other.auth)
      .send({ ...body, images: ['https://img.example/a.jpg', mine.id] });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toMatchObject({ code: 'media_not_found', param: 'images.1' });
    const unknown = await request(ctx.app)
      .post('/v1/listings')
      .set(member.auth)
      .send({ ...body, images: ['med_00000000000000000000000000'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('images.0');
    const listings = await request(ctx.app).get(`/v1/listings?sellerId=${other.id}`);
    expect(listings.body.data).toEqual([]);
  });

  test('a photo can be added by editing a listing', async () => {
    const listing = await createListing(ctx.app, member);
    const media = await uploaded(await photo(300, 200).png().toBuffer(), 'p.png');
    const res = await request(ctx.app)
      .patch(`/v1/listings/${listing.id}`)
      .set(member.auth)
      .send({ images: [media.id] });
    expect(res.status).toBe(200);
    expect(res.body.media).toEqual([
      { id: media.id, width: 300, height: 200, variants: media.variants },
    ]);
  });
});

describe('photos on notes', () => {
  const note = (images: string[]) => ({
    clientId: randomUUID(),
    title: 'Hanfu at the festival',
    body: 'Embroidered sleeves',
    languages: ['zh'],
    images,
  });

  test('a note takes media ids; its views give each photo its variants', async () => {
    const media = await uploaded(await photo(640, 480).jpeg().toBuffer());
    const created = await request(ctx.app)
      .post('/v1/notes')
      .set(member.auth)
      .send(note([media.id]));
    expect(created.status).toBe(201);
    const expected = {
      images: [media.variants.medium],
      media: [{ id: media.id, width: 640, height: 480, variants: media.variants }],
    };
    expect(created.body).toMatchObject(expected);
    const read = await request(ctx.app).get(`/v1/notes/${created.body.id}`);
    expect(read.body).toMatchObject(expected);
    const list = await request(ctx.app).get(`/v1/notes?authorId=${member.id}`);
    expect(list.body.data[0]).toMatchObject(expected);
  });

  test("a synced note with another member's photo: 400 naming notes.N.images.M", async () => {
    const mine = await uploaded(await photo(64, 64).jpeg().toBuffer());
    const res = await request(ctx.app)
      .post('/v1/notes/sync')
      .set(other.auth)
      .send({ notes: [note(['https://img.example/a.jpg', mine.id])] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'media_not_found', param: 'notes.0.images.1' });
  });
});

describe('the purge of unattached photos', () => {
  test('deletes files and rows of photos not attached within 24 h, and keeps attached ones', async () => {
    const loose = await uploaded(await photo(120, 90).jpeg().toBuffer());
    const kept = await uploaded(await photo(120, 90).jpeg().toBuffer());
    const fresh = await uploaded(await photo(120, 90).jpeg().toBuffer());
    await createListing(ctx.app, member, { images: [kept.id] });
    await execute(ctx.db, 'UPDATE media SET created_at = ? WHERE id IN (?)', [
      new Date(Date.now() - 25 * 3600_000),
      [loose.id, kept.id],
    ]);

    const result = await purgeUnattachedMedia(ctx.services.media)();
    expect(result.purged).toBeGreaterThanOrEqual(1);

    const left = await selectRows<{ id: string }>(ctx.db, 'SELECT id FROM media WHERE id IN (?)', [
      [loose.id, kept.id, fresh.id],
    ]);
    expect(left.map((row) => row.id).sort()).toEqual([kept.id, fresh.id].sort());
    expect((await request(ctx.app).get(pathOf(loose.variants.thumb))).status).toBe(404);
    await expect(readdir(path.join(mediaDir, loose.id))).rejects.toThrow();
    expect((await request(ctx.app).get(pathOf(kept.variants.thumb))).status).toBe(200);
    expect((await request(ctx.app).get(pathOf(fresh.variants.thumb))).status).toBe(200);
  });
});
