import sharp from 'sharp';
import request from 'supertest';
import pino from 'pino';
import { systemClock } from '../../../src/clock';
import { LocalMediaStorage } from '../../../src/media/local-storage';
import type { MediaStorage } from '../../../src/media/media-storage';
import { MediaService } from '../../../src/media/media.service';
import { type TestUser } from '../../support/fixtures';
import { jpegWithGps, photo } from '../../support/media-files';
import { mediaClient, pathOf, useMediaWorld } from './media-world';

/** Uploading a photo: its WebP variants, retries, and serving them. */
const world = useMediaWorld();
const { ctx, mediaDir } = world;
const { upload, uploaded, fetchVariant, filesOnDisk, mediaRowsOf } = mediaClient(world);
let member: TestUser;
let other: TestUser;

beforeAll(() => {
  ({ member, other } = world);
});

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
