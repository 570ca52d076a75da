/**
 * A `q` with nothing to search by (punctuation, symbols, invisible characters) matches no
 * listing; it used to be read as no filter and returned every listing (issue 19.10).
 */
import request from 'supertest';
import { createListing, signUp } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext();
  const seller = await signUp(ctx.app);
  await createListing(ctx.app, seller, { title: 'Tea bowl', description: 'Hand thrown!' });
  await createListing(ctx.app, seller, { title: 'Matcha whisk', description: '(bamboo) ...' });
});

afterAll(async () => {
  await ctx.close();
});

const search = (q: string) => request(ctx.app).get('/v1/listings').query({ q });

test.each(['!!!', '...', '()', '-', '?', '¿¡', '。、', '🍵', '\u200b', '#'])(
  'q=%p matches nothing',
  async (q) => {
    const res = await search(q);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], nextCursor: null });
  },
);

test('an empty or blank q is no filter', async () => {
  for (const q of ['', '   ']) {
    const res = await search(q);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
  }
});

test('punctuation around a word still finds it', async () => {
  const res = await search('"tea"!');
  expect(res.status).toBe(200);
  expect(res.body.data.map((l: { title: string }) => l.title)).toEqual(['Tea bowl']);
});
