import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import pino from 'pino';
import { purgeUnattachedMedia } from '../../../jobs/processors/purge-unattached-media';
import { systemClock } from '../../../src/clock';
import { LocalMediaStorage } from '../../../src/media/local-storage';
import type { MediaStorage } from '../../../src/media/media-storage';
import { MediaService } from '../../../src/media/media.service';
import { execute, selectOne, selectRows } from '../../../src/db/sql';
import { createListing, signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';
import { heicHeader, jpegWithGps, photo, pngHeader, zipArchive } from '../../support/media-files';

const mediaDir = mkdtempSync(path.join(tmpdir(), 'cyberstall-media-'));
const ctx = useTestApp({ env: { MEDIA_DIR: mediaDir } });
let member: TestUser;
let other: TestUser;

beforeAll(async () => {
  [member, other] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
});

afterAll(async () => {
  await rm(mediaDir, { recursive: true, force: true });
});

interface MediaBody {
  id: string;
  width: number;
  height: number;
  variants: { thumb: string; medium: string; full: string };
}

function upload(user: TestUser, bytes: Buffer, filename: string, contentType?: string) {
  return request(ctx.app)
    .post('/v1/media')
    .set(user.auth)
    .attach('file', bytes, { filename, ...(contentType ? { contentType } : {}) });
}

async function uploaded(bytes: Buffer, filename = 'photo.jpg'): Promise<MediaBody> {
  const res = await upload(member, bytes, filename);
  expect(res.status).toBe(201);
  return res.body as MediaBody;
}

/** The path of a variant URL, to fetch it from the app under test. */
const pathOf = (url: string) => new URL(url).pathname;

async function fetchVariant(url: string): Promise<Buffer> {
  const res = await request(ctx.app)
    .get(pathOf(url))
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  return res.body as Buffer;
}

/** Every file under MEDIA_DIR, temporary ones included. */
async function filesOnDisk(): Promise<string[]> {
  const entries = await readdir(mediaDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

async function mediaRowsOf(user: TestUser): Promise<number> {
  const row = await selectOne<{ n: number }>(
    ctx.db,
    'SELECT COUNT(*) AS n FROM media WHERE owner_id = ?',
    [user.id],
  );
  return Number(row?.n ?? 0);
}

describe('uploading a photo', () => {
  test('a JPEG with GPS EXIF comes back as WebP variants without any metadata', async () => {
    const source = await jpegWithGps(1200, 800);
    const exif = (await sharp(source).metadata()).exif;
    // The GPS IFD pointer (tag 0x8825, little-endian) is in the file sent.
    expect(exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);

    const media = await uploaded(source);
    expect(media).toMatchObject({ id: expect.stringMatching(/^med_/), width: 1200, height: 800 });
    for (const url of Object.values(media.variants)) {
      const meta = await sharp(await fetchVariant(url)).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(meta.icc).toBeUndefined();
    }
  });

  test('variants fit their longest side: 320, 960 and 2048 px', async () => {
    const media = await uploaded(await photo(3000, 1500).jpeg().toBuffer());
    const sizes = await Promise.all(
      Object.values(media.variants).map(async (url) => {
        const meta = await sharp(await fetchVariant(url)).metadata();
        return [meta.width, meta.height];
      }),
    );
    expect(sizes).toEqual([
      [320, 160],
      [960, 480],
      [2048, 1024],
    ]);
  });

  test('a small photo is never enlarged', async () => {
    const media = await uploaded(await photo(200, 100).png().toBuffer(), 'small.png');
    for (const url of Object.values(media.variants)) {
      const meta = await sharp(await fetchVariant(url)).metadata();
      expect([meta.width, meta.height]).toEqual([200, 100]);
    }
  });

  test('the EXIF orientation is applied: a sideways photo comes back upright', async () => {
    // Stored 600 x 300 with orientation 6 (rotate 90° clockwise to view): upright it is 300 x 600.
    const source = await photo(600, 300).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const media = await uploaded(source);
    expect([media.width, media.height]).toEqual([300, 600]);
    const thumb = await sharp(await fetchVariant(media.variants.thumb)).metadata();
    expect([thumb.width, thumb.height, thumb.orientation]).toEqual([160, 320, undefined]);
  });

  test('the type comes from the bytes: a PNG named .jpg and declared image/jpeg is a PNG', async () => {
    const png = await photo(64, 48).png().toBuffer();
    const res = await upload(member, png, 'holiday.jpg', 'image/jpeg');
    expect(res.status).toBe(201);
    const full = await sharp(await fetchVariant(res.body.variants.full)).metadata();
    expect([full.format, full.width, full.height]).toEqual(['webp', 64, 48]);
  });

  test('AVIF and WebP are accepted', async () => {
    const avif = await upload(member, await photo(80, 60).avif().toBuffer(), 'a.avif');
    expect(avif.status).toBe(201);
    const webp = await upload(member, await photo(80, 60).webp().toBuffer(), 'a.webp');
    expect(webp.status).toBe(201);
  });

  test('an animated WebP keeps its first frame', async () => {
    const frame = (background: string) => photo(40, 30, background).png().toBuffer();
    const animated = await sharp([await frame('#ff0000'), await frame('#0000ff')], {
      join: { animated: true },
    })
      .webp({ loop: 0, delay: [100, 100] })
      .toBuffer();
    const media = await uploaded(animated, 'anim.webp');
    const full = sharp(await fetchVariant(media.variants.full));
    expect((await full.metadata()).pages).toBeUndefined();
    const { data, info } = await full.raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([40, 30]);
    expect(data[0]).toBeGreaterThan(200); // red: the first frame
    expect(data[2]).toBeLessThan(50);
  });
});

describe('refused uploads', () => {
  const refusals: Array<[string, () => Promise<Buffer> | Buffer, string, number, string]> = [
    [
      'an SVG',
      () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      'x.svg',
      415,
      'unsupported_media_type',
    ],
    ['a zip renamed .png', zipArchive, 'photo.png', 415, 'unsupported_media_type'],
    [
      'a text file',
      () => Buffer.from('just some words\n'),
      'notes.jpg',
      415,
      'unsupported_media_type',
    ],
    ['a GIF', () => photo(10, 10).gif().toBuffer(), 'a.gif', 415, 'unsupported_media_type'],
    [
      'a 20,000 x 20,000 PNG header (a decompression bomb)',
      () => pngHeader(20_000, 20_000),
      'bomb.png',
      413,
      'image_too_large',
    ],
    [
      'a truncated JPEG',
      async () => {
        const jpeg = await photo(800, 600, '#123456').jpeg().toBuffer();
        return jpeg.subarray(0, Math.floor(jpeg.length / 2));
      },
      'cut.jpg',
      400,
      'image_corrupt',
    ],
    [
      'an HEIC that is only its ftyp box (no image in it)',
      heicHeader,
      'IMG_0001.heic',
      400,
      'image_corrupt',
    ],
  ];

  test.each(refusals)(
    '%s: a clear 4xx, and nothing stored',
    async (_name, make, filename, status, code) => {
      const before = await filesOnDisk();
      const res = await upload(other, await make(), filename);
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ type: 'invalid_request', code, param: 'file' });
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(await filesOnDisk()).toEqual(before);
      expect(await mediaRowsOf(other)).toBe(0);
    },
  );

  test('a file over 15 MB: 413 file_too_large', async () => {
    const big = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff]),
      Buffer.alloc(15 * 1024 * 1024 + 10),
    ]);
    const res = await upload(other, big, 'big.jpg');
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'file_too_large', param: 'file' });
    expect(await mediaRowsOf(other)).toBe(0);
  });

  test('not multipart, no file, two files, or a text field: 4xx naming the problem', async () => {
    const json = await request(ctx.app).post('/v1/media').set(member.auth).send({ file: 'x' });
    expect(json.status).toBe(415);
    const none = await request(ctx.app).post('/v1/media').set(member.auth).field('note', 'x');
    expect(none.status).toBe(400);
    const png = await photo(10, 10).png().toBuffer();
    const two = await request(ctx.app)
      .post('/v1/media')
      .set(member.auth)
      .attach('file', png, 'a.png')
      .attach('file', png, 'b.png');
    expect(two.status).toBe(400);
    expect(two.body.error.param).toBe('file');
    const wrongField = await request(ctx.app)
      .post('/v1/media')
      .set(member.auth)
      .attach('image', png, 'a.png');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.param).toBe('image');
  });

  test('signed out: 401', async () => {
    const res = await request(ctx.app)
      .post('/v1/media')
      .attach('file', await photo(10, 10).png().toBuffer(), 'a.png');
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('authentication');
  });
});

describe('retries', () => {
  test('Idempotency-Key: the same file again replays the first answer, another file is 409', async () => {
    const png = await photo(30, 20).png().toBuffer();
    const send = (bytes: Buffer) =>
      request(ctx.app)
        .post('/v1/media')
        .set(member.auth)
        .set('Idempotency-Key', 'photo-retry-1')
        .attach('file', bytes, 'a.png');
    const first = await send(png);
    expect(first.status).toBe(201);
    const again = await send(png);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const other = await send(await photo(31, 20).png().toBuffer());
    expect(other.status).toBe(409);
    expect(other.body.error.type).toBe('idempotency');
  });

  test('storage failing half-way: the variants already written and the row are removed', async () => {
    const storage = new LocalMediaStorage(mediaDir, 'http://localhost');
    let puts = 0;
    const failing: MediaStorage = {
      put: async (key, data, type) => {
        puts += 1;
        if (puts === 3) throw new Error('disk full');
        await storage.put(key, data, type);
      },
      open: (key) => storage.open(key),
      delete: (keys) => storage.delete(keys),
      url: (key) => storage.url(key),
    };
    const media = new MediaService(
      ctx.db,
      systemClock,
      failing,
      { concurrency: 1 },
      pino({ level: 'silent' }),
    );
    const before = await filesOnDisk();
    await expect(media.upload(other.id, await photo(400, 300).jpeg().toBuffer())).rejects.toThrow(
      'disk full',
    );
    expect(await filesOnDisk()).toEqual(before);
    expect(await mediaRowsOf(other)).toBe(0);
  });
});

describe('serving variants', () => {
  test('long-lived immutable caching, an ETag, and 304 for If-None-Match', async () => {
    const media = await uploaded(await photo(500, 400).jpeg().toBuffer());
    const first = await request(ctx.app).get(pathOf(media.variants.medium));
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('image/webp');
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await request(ctx.app)
      .get(pathOf(media.variants.medium))
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(etag);
    const other = await request(ctx.app)
      .get(pathOf(media.variants.medium))
      .set('If-None-Match', '"x"');
    expect(other.status).toBe(200);
  });

  test('unknown keys and path tricks: 404 in the API error shape', async () => {
    for (const target of [
      '/media/med_00000000000000000000000000/full.webp',
      '/media/nothing',
      '/media/..%2F..%2Fpackage.json',
      '/media/med_00000000000000000000000000/..%2F..%2F..%2Fpackage.json',
      '/media/.tmp/x.part',
    ]) {
      const res = await request(ctx.app).get(target);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ type: 'not_found' });
    }
  });
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

describe('the upload quota', () => {
  const limitedDir = mkdtempSync(path.join(tmpdir(), 'cyberstall-media-quota-'));
  const limited = useTestApp({
    env: { MEDIA_DIR: limitedDir, RATE_LIMIT_SCALE: '1', MEDIA_UPLOADS_PER_HOUR: '2' },
  });

  afterAll(async () => {
    await rm(limitedDir, { recursive: true, force: true });
  });

  test('MEDIA_UPLOADS_PER_HOUR per member, then 429 with Retry-After', async () => {
    const [first, second] = await Promise.all([signUp(limited.app), signUp(limited.app)]);
    const png = await photo(20, 20).png().toBuffer();
    const send = (user: TestUser) =>
      request(limited.app).post('/v1/media').set(user.auth).attach('file', png, 'a.png');
    expect((await send(first)).status).toBe(201);
    expect((await send(first)).status).toBe(201);
    const over = await send(first);
    expect(over.status).toBe(429);
    expect(over.body.error.type).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // The quota is each member's own.
    expect((await send(second)).status).toBe(201);
  });
});
