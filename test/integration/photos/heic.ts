import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

/**
 * A real HEVC-coded HEIC, the codec sharp's libvips lacks: made by
 * test/fixtures/make-rainbow-heic.ts with libheif's x265 encoder.
 */
const HEIC_FIXTURE = path.join(__dirname, '../../fixtures/rainbow-452x462.heic');

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

/** The fixture with its declared size (every `ispe`) rewritten: the HEVC data is still 452 x 462. */
function withDeclaredSize(bytes: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(bytes);
  let found = 0;
  for (let at = copy.indexOf('ispe'); at >= 0; at = copy.indexOf('ispe', at + 4)) {
    copy.writeUInt32BE(width, at + 8);
    copy.writeUInt32BE(height, at + 12);
    found += 1;
  }
  expect(found).toBeGreaterThan(0);
  return copy;
}

/** The boxes directly inside `[start, end)` of an ISO-BMFF file: type, offset, size. */
function boxesIn(bytes: Buffer, start: number, end: number) {
  const found: Array<{ type: string; at: number; size: number }> = [];
  for (let at = start; at + 8 <= end;) {
    const size = bytes.readUInt32BE(at);
    found.push({ type: bytes.toString('latin1', at + 4, at + 8), at, size });
    at += size;
  }
  return found;
}

function box(list: Array<{ type: string; at: number; size: number }>, type: string) {
  const found = list.find((entry) => entry.type === type);
  if (!found) throw new Error(`no ${type} box`);
  return found;
}

/**
 * The fixture turned a quarter anticlockwise the way a phone records it: an `irot` property
 * (angle 1) appended to `ipco` and associated with the image in `ipma`. The boxes that hold
 * them grow, and the image data after them moves, so `iloc`'s base offsets follow.
 * ISO/IEC 23008-12 §6.5.10 (irot), §9.3 (ipma); ISO/IEC 14496-12 §8.11.3 (iloc).
 */
function withIrot(bytes: Buffer): Buffer {
  const meta = box(boxesIn(bytes, 0, bytes.length), 'meta');
  const inMeta = boxesIn(bytes, meta.at + 12, meta.at + meta.size);
  const iloc = box(inMeta, 'iloc');
  const iprp = box(inMeta, 'iprp');
  const inIprp = boxesIn(bytes, iprp.at + 8, iprp.at + iprp.size);
  const ipco = box(inIprp, 'ipco');
  const ipma = box(inIprp, 'ipma');
  // This fixture's ipma: version 0, 1-byte associations, one entry (the image).
  expect(bytes.readUInt32BE(ipma.at + 8)).toBe(0);
  expect(bytes.readUInt32BE(ipma.at + 12)).toBe(1);
  const propertyIndex = boxesIn(bytes, ipco.at + 8, ipco.at + ipco.size).length + 1;
  const irot = Buffer.from([0, 0, 0, 9, ...Buffer.from('irot'), 1]);
  const grown = irot.length + 1;

  const out = Buffer.concat([
    bytes.subarray(0, ipco.at + ipco.size),
    irot,
    bytes.subarray(ipco.at + ipco.size, ipma.at + ipma.size),
    Buffer.from([propertyIndex]),
    bytes.subarray(ipma.at + ipma.size),
  ]);
  const moved = (at: number) => (at >= ipco.at + ipco.size ? at + irot.length : at);
  out.writeUInt32BE(meta.size + grown, meta.at);
  out.writeUInt32BE(iprp.size + grown, iprp.at);
  out.writeUInt32BE(ipco.size + irot.length, ipco.at);
  out.writeUInt32BE(ipma.size + 1, moved(ipma.at));
  const countAt = moved(ipma.at) + 18; // header 8, version/flags 4, entry_count 4, item_ID 2
  out.writeUInt8(out.readUInt8(countAt) + 1, countAt);

  // iloc version 0 with 4-byte base offsets: item_ID, data_reference_index, base_offset...
  expect(bytes.readUInt8(iloc.at + 8)).toBe(0);
  expect(bytes.readUInt16BE(iloc.at + 12)).toBe(0x4440);
  let at = iloc.at + 16;
  for (let item = bytes.readUInt16BE(iloc.at + 14); item > 0; item -= 1) {
    const base = bytes.readUInt32BE(at + 4);
    if (base > meta.at) out.writeUInt32BE(base + grown, at + 4);
    at += 10 + bytes.readUInt16BE(at + 8) * 8;
  }
  return out;
}

/** An ISO-BMFF box; a full box when `versionFlags` is given. */
function isoBox(type: string, payload: Buffer, versionFlags?: number): Buffer {
  const head = Buffer.alloc(versionFlags === undefined ? 8 : 12);
  head.writeUInt32BE(head.length + payload.length, 0);
  head.write(type, 4, 'latin1');
  if (versionFlags !== undefined) head.writeUInt32BE(versionFlags, 8);
  return Buffer.concat([head, payload]);
}

const u16 = (...values: number[]) => Buffer.from(values.flatMap((v) => [v >> 8, v & 0xff]));
const u32 = (...values: number[]) =>
  Buffer.concat(
    values.map((v) => Buffer.from([v >>> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255])),
  );

/**
 * A 2 x 2 grid of the fixture's HEVC picture as the primary image (904 x 924), its four tiles
 * left visible, so the first top-level image is a tile and not the primary one.
 */
function gridWithVisibleTiles(bytes: Buffer): Buffer {
  const meta = box(boxesIn(bytes, 0, bytes.length), 'meta');
  const inMeta = boxesIn(bytes, meta.at + 12, meta.at + meta.size);
  const iprp = box(inMeta, 'iprp');
  const ipco = box(boxesIn(bytes, iprp.at + 8, iprp.at + iprp.size), 'ipco');
  const hvcC = box(boxesIn(bytes, ipco.at + 8, ipco.at + ipco.size), 'hvcC');
  const iloc = box(inMeta, 'iloc');
  const tile = bytes.subarray(
    bytes.readUInt32BE(iloc.at + 20),
    bytes.readUInt32BE(iloc.at + 20) + bytes.readUInt32BE(iloc.at + 30),
  );
  const tiles = [1, 2, 3, 4];
  const grid = 5;
  const gridData = Buffer.concat([Buffer.from([0, 0, 1, 1]), u16(904, 924)]);
  const ftyp = isoBox('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1'));
  const infe = (id: number, type: string) =>
    isoBox('infe', Buffer.concat([u16(id, 0), Buffer.from(`${type}\0`, 'latin1')]), 2 << 24);
  const rest = Buffer.concat([
    isoBox('pitm', u16(grid), 0),
    isoBox(
      'iinf',
      Buffer.concat([u16(5), ...tiles.map((id) => infe(id, 'hvc1')), infe(grid, 'grid')]),
      0,
    ),
    isoBox('iref', isoBox('dimg', u16(grid, 4, ...tiles)), 0),
    isoBox(
      'iprp',
      Buffer.concat([
        isoBox(
          'ipco',
          Buffer.concat([
            bytes.subarray(hvcC.at, hvcC.at + hvcC.size),
            isoBox('ispe', u32(452, 462), 0),
            isoBox('ispe', u32(904, 924), 0),
          ]),
        ),
        isoBox(
          'ipma',
          Buffer.concat([
            u32(5),
            ...tiles.map((id) => Buffer.concat([u16(id), Buffer.from([2, 0x81, 0x02])])),
            u16(grid),
            Buffer.from([1, 0x03]),
          ]),
          0,
        ),
      ]),
    ),
  ]);
  const hdlr = isoBox(
    'hdlr',
    Buffer.concat([Buffer.alloc(4), Buffer.from('pict'), Buffer.alloc(13)]),
    0,
  );
  const ilocFor = (dataAt: number) =>
    isoBox(
      'iloc',
      Buffer.concat([
        Buffer.from([0x44, 0x40]),
        u16(5),
        ...tiles.map((id) => Buffer.concat([u16(id, 0), u32(dataAt), u16(1), u32(0, tile.length)])),
        Buffer.concat([u16(grid, 0), u32(dataAt + tile.length), u16(1), u32(0, gridData.length)]),
      ]),
      0,
    );
  const metaLength = isoBox('meta', Buffer.concat([hdlr, ilocFor(0), rest]), 0).length;
  const dataAt = ftyp.length + metaLength + 8;
  const metaBox = isoBox('meta', Buffer.concat([hdlr, ilocFor(dataAt), rest]), 0);
  return Buffer.concat([ftyp, metaBox, isoBox('mdat', Buffer.concat([tile, gridData]))]);
}

describe('HEIC uploads (HEVC decoded by libheif in a worker thread)', () => {
  test('an HEIC photo gives three WebP variants, upright size, no metadata', async () => {
    // Named and declared as something else: the bytes decide.
    const res = await upload(heic, 'photo.bin', 'application/octet-stream');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 452, height: 462 });
    const expected = { thumb: [313, 320], medium: [452, 462], full: [452, 462] } as const;
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

  test('an HEIC turned by its irot box: upright variants, sizes swapped', async () => {
    const res = await upload(withIrot(heic), 'IMG_0004.heic');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 462, height: 452 });
    const thumb = await sharp(await fetchVariant(res.body.variants.thumb as string)).metadata();
    expect([thumb.width, thumb.height]).toEqual([320, 313]);
  });

  test('an HEIC whose first image is not its primary one: 415, not the wrong picture', async () => {
    const res = await upload(gridWithVisibleTiles(heic), 'IMG_0005.heic');
    expect(res.status).toBe(415);
    expect(res.body.error).toMatchObject({ code: 'unsupported_media_type', param: 'file' });
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
