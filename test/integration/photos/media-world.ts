import { mkdtempSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { signUp, type TestUser } from '../../support/fixtures';
import { type TestApp, useTestApp } from '../../support/test-app';

/** A photos part's app, the MEDIA_DIR its files go to, and two members who upload. */
export interface MediaWorld {
  ctx: TestApp;
  mediaDir: string;
  member: TestUser;
  other: TestUser;
}

export interface MediaBody {
  id: string;
  width: number;
  height: number;
  variants: { thumb: string; medium: string; full: string };
}

/**
 * The world of the enclosing `describe`: its app on a MEDIA_DIR of its own (removed after its
 * tests) and two members. `member` and `other` exist once `beforeAll` has run.
 */
export function useMediaWorld(): MediaWorld {
  const mediaDir = mkdtempSync(path.join(tmpdir(), 'cyberstall-media-'));
  const ctx = useTestApp({ env: { MEDIA_DIR: mediaDir } });
  const world = { ctx, mediaDir } as MediaWorld;

  beforeAll(async () => {
    [world.member, world.other] = await Promise.all([signUp(ctx.app), signUp(ctx.app)]);
  });

  afterAll(async () => {
    await rm(mediaDir, { recursive: true, force: true });
  });
  return world;
}

/** The path of a variant URL, to fetch it from the app under test. */
export const pathOf = (url: string) => new URL(url).pathname;

/** What the photos parts do through the API of `world`, and what they count on its disk. */
export function mediaClient(world: MediaWorld) {
  const { ctx, mediaDir } = world;

  function upload(user: TestUser, bytes: Buffer, filename: string, contentType?: string) {
    return request(ctx.app)
      .post('/v1/media')
      .set(user.auth)
      .attach('file', bytes, { filename, ...(contentType ? { contentType } : {}) });
  }

  async function uploaded(bytes: Buffer, filename = 'photo.jpg'): Promise<MediaBody> {
    const res = await upload(world.member, bytes, filename);
    expect(res.status).toBe(201);
    return res.body as MediaBody;
  }

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

  return { upload, uploaded, fetchVariant, filesOnDisk, mediaRowsOf };
}
