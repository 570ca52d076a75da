/**
 * Invisible code points (issue 19.5): a moderated tag spelt with zero-width characters, soft
 * hyphens, joiners or a BOM is still the moderated tag, so the note waits for review.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signUp, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;
let author: TestUser;

beforeAll(async () => {
  ctx = await startTestContext({ env: { MODERATION_TAGS: 'politics,religion' } });
  author = await signUp(ctx.app, { country: 'FR' });
});

afterAll(async () => {
  await ctx.close();
});

const post = (cultureTags: string[]) =>
  request(ctx.app)
    .post('/v1/notes')
    .set(author.auth)
    .send({
      clientId: randomUUID(),
      title: 'Festival',
      body: 'Lanterns on the river.',
      languages: ['fr'],
      cultureTags,
    });

describe('moderated tags hidden with invisible characters', () => {
  test.each([
    ['a zero-width space', 'poli\u200btics'],
    ['a soft hyphen', 'poli\u00adtics'],
    ['a zero-width non-joiner', 'poli\u200ctics'],
    ['a zero-width joiner', 'poli\u200dtics'],
    ['a word joiner', 'poli\u2060tics'],
    ['a byte order mark', '\ufeffpolitics'],
    ['a right-to-left override', '\u202epolitics'],
    ['a variation selector', 'religion\ufe0f'],
    ['a Hangul filler', 'reli\u3164gion'],
  ])('a tag with %s is held for review and stored plain', async (_what, tag) => {
    const res = await post([tag]);
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('pending_review');
    expect(res.body.cultureTags).toEqual([tag.includes('reli') ? 'religion' : 'politics']);
  });

  test('a tag of invisible characters only is a 400 naming it', async () => {
    const res = await post(['tea', '\u200b\u00ad']);
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('cultureTags.1');
  });

  test('an ordinary tag is still published at once', async () => {
    const res = await post(['tea\u200b']);
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('published');
    expect(res.body.cultureTags).toEqual(['tea']);
  });
});
