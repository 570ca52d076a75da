import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { App } from '../../../src/http/front-door';
import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import { serviceCommand } from '../../support/service-build';
import { moderationClient, useModerationWorld } from './moderation-world';

/** The moderation policy and moderators' regions, changed through the API or the CLI. */
const world = useModerationWorld();
const { ctx } = world;
const { post, putPolicy } = moderationClient(world);
let second: App;
let admin: TestUser;
let moderator: TestUser;
let japanModerator: TestUser;
let member: TestUser;

beforeAll(() => {
  ({ second, admin, moderator, japanModerator, member } = world);
});

describe('the moderation policy, read and changed through the API', () => {
  test('the environment seeds it until an admin changes it', async () => {
    const res = await request(ctx.app).get('/v1/moderation/policy').set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      countries: ['CN'],
      tags: ['politics'],
      version: 0,
      updatedAt: null,
    });
  });

  test('a change on one app holds the very next note posted to the other, no restart', async () => {
    const author = await signUp(ctx.app, { country: 'KR' });
    expect((await post(second, author)).status).toBe('published');
    const changed = await putPolicy(ctx.app, {
      countries: ['kr', 'CN', 'KR'],
      tags: ['Ｍａｔｓｕｒｉ'],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ countries: ['CN', 'KR'], tags: ['matsuri'], version: 1 });
    expect((await post(second, author)).status).toBe('pending_review');
    const other = await signUp(ctx.app, { country: 'BR' });
    expect((await post(second, other, { cultureTags: ['MATSURI'] })).status).toBe('pending_review');
    // The seed tag no longer holds anything; the second app reads the same policy.
    expect((await post(second, other, { cultureTags: ['politics'] })).status).toBe('published');
    const read = await request(second).get('/v1/moderation/policy').set(admin.auth);
    expect(read.body).toEqual(changed.body);
    // And back: the next note is published again.
    const cleared = await putPolicy(second, { countries: [], tags: [] });
    expect(cleared.body.version).toBe(2);
    expect((await post(ctx.app, author)).status).toBe('published');
  });

  test('bad policies are 400 and change nothing; only admins read or change it', async () => {
    const before = (await request(ctx.app).get('/v1/moderation/policy').set(admin.auth)).body;
    const bad: Array<[object, string]> = [
      [{ countries: ['XX'], tags: [] }, 'countries.0'],
      [{ countries: 'JP', tags: [] }, 'countries'],
      [{ countries: [], tags: [''] }, 'tags.0'],
      [{ countries: [] }, 'tags'],
      [{ countries: [], tags: [], extra: 1 }, 'extra'],
      [{ countries: [], tags: ['x'.repeat(51)] }, 'tags.0'],
    ];
    for (const [body, param] of bad) {
      const res = await putPolicy(ctx.app, body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request', param });
    }
    expect((await request(ctx.app).get('/v1/moderation/policy').set(admin.auth)).body).toEqual(
      before,
    );
    expect((await putPolicy(ctx.app, { countries: [], tags: [] }, moderator)).status).toBe(403);
    expect((await request(ctx.app).get('/v1/moderation/policy').set(member.auth)).status).toBe(403);
    expect((await request(ctx.app).put('/v1/moderation/policy').send({})).status).toBe(401);
  });
});

describe('moderators with regions', () => {
  test('see and decide only the notes of authors from their countries', async () => {
    await putPolicy(ctx.app, { countries: ['JP', 'KR', 'BR'], tags: [] });
    const [jp, kr, br] = await Promise.all([
      signUp(ctx.app, { country: 'JP' }),
      signUp(ctx.app, { country: 'KR' }),
      signUp(ctx.app, { country: 'BR' }),
    ]);
    const [jpNote, krNote, brNote] = [
      await post(ctx.app, jp),
      await post(ctx.app, kr),
      await post(ctx.app, br),
    ];
    const assigned = await request(ctx.app)
      .put(`/v1/admin/moderators/${japanModerator.id}/regions`)
      .set(admin.auth)
      .send({ regions: ['jp', 'KR'] });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({
      userId: japanModerator.id,
      displayName: 'Test',
      regions: ['JP', 'KR'],
    });

    const queue = async (as: TestUser, app = ctx.app) =>
      (await request(app).get('/v1/moderation/notes?limit=100').set(as.auth)).body.data.map(
        (note: { id: string }) => note.id,
      ) as string[];
    const regional = await queue(japanModerator, second);
    expect(regional).toEqual(expect.arrayContaining([jpNote.id, krNote.id]));
    expect(regional).not.toContain(brNote.id);
    // A moderator without regions and an admin see every country.
    for (const everyone of [await queue(moderator), await queue(admin)])
      expect(everyone).toEqual(expect.arrayContaining([jpNote.id, krNote.id, brNote.id]));

    const outside = await request(ctx.app)
      .post(`/v1/moderation/notes/${brNote.id}/approve`)
      .set(japanModerator.auth);
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('outside_regions');
    const rejectOutside = await request(ctx.app)
      .post(`/v1/moderation/notes/${brNote.id}/reject`)
      .set(japanModerator.auth)
      .send({ reason: 'no' });
    expect(rejectOutside.status).toBe(403);
    const inside = await request(ctx.app)
      .post(`/v1/moderation/notes/${jpNote.id}/approve`)
      .set(japanModerator.auth);
    expect(inside.status).toBe(200);
    expect(inside.body.status).toBe('published');

    const listed = await request(ctx.app).get('/v1/admin/moderators').set(admin.auth);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual(
      expect.arrayContaining([
        { userId: japanModerator.id, displayName: 'Test', regions: ['JP', 'KR'] },
        { userId: moderator.id, displayName: 'Test', regions: [] },
      ]),
    );
    // [] lifts the limit again.
    await request(ctx.app)
      .put(`/v1/admin/moderators/${japanModerator.id}/regions`)
      .set(admin.auth)
      .send({ regions: [] });
    expect(await queue(japanModerator)).toContain(brNote.id);
    await putPolicy(ctx.app, { countries: [], tags: [] });
  });

  test('regions: unknown user 404, not a moderator 409, bad countries 400, admins only', async () => {
    const put = (id: string, body: object, as = admin) =>
      request(ctx.app).put(`/v1/admin/moderators/${id}/regions`).set(as.auth).send(body);
    expect((await put('usr_00000000000000000000000000', { regions: ['JP'] })).status).toBe(404);
    const notModerator = await put(member.id, { regions: ['JP'] });
    expect(notModerator.status).toBe(409);
    expect(notModerator.body.error.code).toBe('not_a_moderator');
    for (const [body, param] of [
      [{ regions: ['ZZ'] }, 'regions.0'],
      [{ regions: 'JP' }, 'regions'],
      [{}, 'regions'],
    ] as Array<[object, string]>) {
      const res = await put(moderator.id, body);
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(param);
    }
    // A path id that is not a user's id names no user.
    expect((await put('nope', { regions: [] })).status).toBe(404);
    expect((await put(moderator.id, { regions: [] }, moderator)).status).toBe(403);
    expect((await request(ctx.app).get('/v1/admin/moderators').set(moderator.auth)).status).toBe(
      403,
    );
  });
});

test('npm run cli -- grant --role moderator --regions gives a moderator their regions', async () => {
  const account = await signUp(ctx.app);
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, [...serviceCommand('src/cli.ts'), 'grant', ...args], {
      cwd: path.resolve(__dirname, '../../..'),
      env: {
        ...process.env,
        DATABASE_URL: ctx.config.DATABASE_URL,
        REDIS_URL: ctx.config.REDIS_URL,
        REDIS_PREFIX: ctx.config.REDIS_PREFIX,
      },
    });
  await expect(
    cli('--email', account.email, '--role', 'moderator', '--regions', 'JP,XX'),
  ).rejects.toMatchObject({ stderr: expect.stringContaining('XX') });
  expect(await ctx.services.moderatorRegions.of(account.id)).toEqual([]);
  const { stdout } = await cli(
    '--email',
    account.email,
    '--role',
    'moderator',
    '--regions',
    'kr,JP',
  );
  expect(stdout).toContain('JP, KR');
  expect(await ctx.services.moderatorRegions.of(account.id)).toEqual(['JP', 'KR']);
}, 60_000);
