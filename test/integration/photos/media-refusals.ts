import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';
import { heicHeader, photo, pngHeader, zipArchive } from '../../support/media-files';
import { mediaClient, useMediaWorld } from './media-world';

/** Uploads refused: by type, by size, by shape of the request, and by quota. */
const world = useMediaWorld();
const { ctx } = world;
const { upload, filesOnDisk, mediaRowsOf } = mediaClient(world);
let member: TestUser;
let other: TestUser;

beforeAll(() => {
  ({ member, other } = world);
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
