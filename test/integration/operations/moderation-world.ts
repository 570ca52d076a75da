import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApp, createServices } from '../../../src/app';
import { ManualClock } from '../../../src/clock';
import { Db } from '../../../src/db/db';
import type { App } from '../../../src/http/front-door';
import { signUp, type TestUser } from '../../support/fixtures';
import { type TestApp, useTestApp } from '../../support/test-app';

/** A moderation part's app on a manual clock, a second app beside it, and its staff. */
export interface ModerationWorld {
  ctx: TestApp;
  clock: ManualClock;
  /** A second app on its own connection pool: another process as far as the policy can tell. */
  second: App;
  admin: TestUser;
  moderator: TestUser;
  japanModerator: TestUser;
  member: TestUser;
}

/**
 * The world of the enclosing `describe`: its app (countries CN and the tag politics held for
 * review until an admin changes the policy), a second app on its own pool, an admin, two
 * moderators and a member. Its fields other than `ctx` and `clock` exist once `beforeAll` ran.
 */
export function useModerationWorld(): ModerationWorld {
  let secondPool: Db | undefined;
  // Registered before the app's own hooks: the second pool closes before its database goes.
  afterAll(async () => {
    await secondPool?.close();
  });
  const clock = new ManualClock();
  const ctx = useTestApp({
    clock,
    env: { MODERATION_COUNTRIES: 'CN', MODERATION_TAGS: 'politics' },
  });
  const world = { ctx, clock } as ModerationWorld;
  beforeAll(async () => {
    secondPool = new Db(ctx.config.DATABASE_URL, { poolMax: 4 });
    const deps = { ...ctx.deps, db: secondPool };
    world.second = createApp(deps, createServices(deps));
    [world.admin, world.moderator, world.japanModerator, world.member] = await Promise.all([
      signUp(ctx.app),
      signUp(ctx.app),
      signUp(ctx.app),
      signUp(ctx.app),
    ]);
    await ctx.services.accounts.grantRole(world.admin.email, 'admin');
    await ctx.services.accounts.grantRole(world.moderator.email, 'moderator');
    await ctx.services.accounts.grantRole(world.japanModerator.email, 'moderator');
  });
  return world;
}

/** What the moderation parts do through the API of either app of `world`. */
export function moderationClient(world: ModerationWorld) {
  const { ctx } = world;
  const draft = (fields: Record<string, unknown> = {}) => ({
    clientId: randomUUID(),
    title: 'Hanami',
    body: 'Blossoms along the river.',
    languages: ['ja'],
    ...fields,
  });

  async function post(app: App, author: TestUser, fields: Record<string, unknown> = {}) {
    const res = await request(app).post('/v1/notes').set(author.auth).send(draft(fields));
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string };
  }

  const putPolicy = (app: App, body: object, as = world.admin) =>
    request(app).put('/v1/moderation/policy').set(as.auth).send(body);

  /** A new glossary term (unique to this run), added by `member`. */
  async function glossaryTerm(prefix: string) {
    const term = `${prefix}${randomUUID().slice(0, 8)}`;
    const res = await request(ctx.app)
      .post('/v1/glossary/terms')
      .set(world.member.auth)
      .send({ term, language: 'zh' });
    expect(res.status).toBe(201);
    return res.body.term as string;
  }

  async function explain(app: App, author: TestUser, term: string, language = 'en') {
    const res = await request(app)
      .post(`/v1/glossary/terms/${encodeURIComponent(term)}/explanations`)
      .set(author.auth)
      .send({ language, text: `What ${term} means.` });
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string };
  }

  return { post, putPolicy, glossaryTerm, explain };
}
