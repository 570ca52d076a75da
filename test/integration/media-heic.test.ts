import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { signUp, type TestUser } from '../support/fixtures';
import { startTestContext, type TestContext } from '../support/harness';

/** A real HEVC-coded HEIC (see test/fixtures/README.md): the codec sharp's libvips lacks. */
const HEIC_FIXTURE = path.join(__dirname, '../fixtures/rainbow-451x461.heic');

let ctx: TestContext;
let mediaDir: string;
let member: TestUser;
let heic: Buffer;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'cyberstall-heic-'));
  ctx = await startTestContext({ env: { MEDIA_DIR: mediaDir } });
  member = await signUp(ctx.app);
  heic = await readFile(HEIC_FIXTURE);
});

afterAll(async () => {
  await ctx.close();
  await rm(mediaDir, { recursive: true, force: true });
});

function upload(bytes: Buffer, filename: string, contentType?: string) {
  return request(ctx.app)
    .post('/v1/media')
    .set(member.auth)
    .attach('file', bytes, { filename, ...(contentType ? { contentType } : {}) });
}

async function fetchVariant(url: string): Promise<Buffer> {
  const res = await request(ctx.app)
    .get(new URL(url).pathname)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  expect(res.status).toBe(200);
  return res.body as Buffer;
}

/**
 * The fixture with its declared size rewritten (every `ispe`, and the `clap` crop to the same
 * size, centred): the header lies, the HEVC data is still 452 x 462.
 */
function withDeclaredSize(bytes: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(bytes);
  let found = 0;
  for (let at = copy.indexOf('ispe'); at >= 0; at = copy.indexOf('ispe', at + 4)) {
    copy.writeUInt32BE(width, at + 8);
    copy.writeUInt32BE(height, at + 12);
    found += 1;
  }
  const clap = copy.indexOf('clap');
  [width, 1, height, 1, 0, 1, 0, 1].forEach((value, index) =>
    copy.writeUInt32BE(value, clap + 4 + 4 * index),
  );
  expect(found).toBeGreaterThan(0);
  expect(clap).toBeGreaterThan(0);
  return copy;
}

describe('HEIC uploads (HEVC decoded by libheif in a worker thread)', () => {
  test('an HEIC photo gives three WebP variants, upright size, no metadata', async () => {
    // Named and declared as something else: the bytes decide.
    const res = await upload(heic, 'photo.bin', 'application/octet-stream');
    expect(res.status).toBe(201);
    // 452 x 462 coded, cropped by its clap box to 451 x 461, as libheif reports it.
    expect(res.body).toMatchObject({ width: 451, height: 461 });
    const expected = { thumb: [313, 320], medium: [451, 461], full: [451, 461] } as const;
    for (const name of ['thumb', 'medium', 'full'] as const) {
      const bytes = await fetchVariant(res.body.variants[name] as string);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', ...expected[name]]);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      // Pixels, not a blank frame: the rainbow has many colours.
      const stats = await sharp(bytes).stats();
      expect(stats.channels[0]!.max - stats.channels[0]!.min).toBeGreaterThan(100);
    }
  });

  test('an HEIC declaring 8,000 x 6,000 pixels: 413 from its header, before decoding', async () => {
    const res = await upload(withDeclaredSize(heic, 8000, 6000), 'IMG_0002.heic');
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'image_too_large', param: 'file' });
  });

  test('an HEIC whose HEVC data is cut off: 400 image_corrupt', async () => {
    const res = await upload(heic.subarray(0, Math.floor(heic.length * 0.6)), 'IMG_0003.heic');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'image_corrupt', param: 'file' });
  });
});
