/**
 * Values that grow on the way to the database (issue 19.7): limits hold on the value as it is
 * stored, and dates stay within what MySQL holds. Each case is a 400 naming the field, never a
 * 500, and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { startTestContext, type TestContext } from '../../support/harness';

let ctx: TestContext;
let member: TestUser;
let brand: TestUser;

beforeAll(async () => {
  ctx = await startTestContext();
  member = await signUp(ctx.app);
  brand = await signUpBrand(ctx.app);
});

afterAll(async () => {
  await ctx.close();
});

const count = async (table: string) =>
  Number((await selectOne<{ n: number }>(ctx.db, `SELECT COUNT(*) AS n FROM ${table}`))!.n);

function expectRefused(res: request.Response, param: string) {
  expect({ status: res.status, param: res.body.error?.param }).toEqual({ status: 400, param });
}

test('a category that lower-cases longer than 60 characters (İ -> i̇) is refused', async () => {
  const before = await count('listings');
  for (const category of ['İ'.repeat(60), 'İ'.repeat(31)]) {
    const res = await request(ctx.app).post('/v1/listings').set(member.auth).send({
      title: 'T',
      description: 'D',
      priceAmount: 100,
      currency: 'USD',
      quantity: 1,
      condition: 'new',
      category,
    });
    expectRefused(res, 'category');
  }
  expect(await count('listings')).toBe(before);
  const fits = await createListing(ctx.app, member, { category: 'İ'.repeat(30) });
  expect(fits.id).toMatch(/^lst_/);
});

test('language tags that canonicalise past 35 characters are refused, as are ten long ones', async () => {
  const before = await count('notes');
  const note = (languages: string[]) =>
    request(ctx.app)
      .post('/v1/notes')
      .set(member.auth)
      .send({ clientId: randomUUID(), title: 't', body: 'b', languages });
  // islamicc canonicalises to islamic-civil: 33 characters become 38.
  expectRefused(await note(['ja-u-ca-islamicc-co-phonebk-nu-arab']), 'languages.0');
  expectRefused(
    await note(Array.from({ length: 10 }, (_, i) => `ja-u-ca-islamicc-co-phonebk-nu-ar${i}`)),
    'languages.0',
  );
  expect(await count('notes')).toBe(before);
  const ten = await note(Array.from({ length: 10 }, (_, i) => `ja-u-ca-islamicc-co-phonebk-${i}x`));
  expect(ten.status).toBe(201);
  expect(ten.body.languages[0]).toBe('ja-u-0x-ca-islamic-civil-co-phonebk');
});

describe('drops', () => {
  let listingId: string;
  beforeAll(async () => {
    listingId = (await createListing(ctx.app, brand, { quantity: 100 })).id;
  });
  const drop = (fields: Record<string, unknown>) =>
    request(ctx.app)
      .post('/v1/campaigns/drops')
      .set(brand.auth)
      .send({
        title: 'T',
        listingId,
        stock: 1,
        startsAt: '2027-01-01T00:00:00Z',
        timezone: 'UTC',
        puzzle: { question: { en: 'Q?' }, answers: ['a'] },
        ...fields,
      });

  test('a question in 40 languages of 2000 characters each (over a TEXT column) is refused', async () => {
    const before = await count('drops');
    const question: Record<string, string> = {};
    for (let i = 0; i < 40; i += 1)
      question[
        `l${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`
      ] = 'あ'.repeat(2000);
    expectRefused(await drop({ puzzle: { question, answers: ['a'] } }), 'puzzle.question');
    const hints = Array.from({ length: 10 }, (_, i) => ({
      afterHours: i,
      text: { en: 'あ'.repeat(2000), ja: 'い'.repeat(2000), fr: 'う'.repeat(2000) },
    }));
    expectRefused(
      await drop({ puzzle: { question: { en: 'Q?' }, answers: ['a'], hints } }),
      'puzzle.hints',
    );
    expect(await count('drops')).toBe(before);
  });

  test.each(['9999-12-31T23:00:00Z', '9999-06-01T00:00:00', '+275760-09-13T00:00:00Z'])(
    'a drop starting at %p (its end past year 9999) is refused',
    async (startsAt) => {
      const before = await count('drops');
      expectRefused(await drop({ startsAt, durationHours: 168 }), 'startsAt');
      expect(await count('drops')).toBe(before);
    },
  );
});

test.each(['0000-01-01T00:00:00Z', '0999-12-31T23:59:59Z', '9999-12-31T23:59:59Z'])(
  'an instant at %p is refused (a coupon expiry, an offer end, a note date)',
  async (at) => {
    const batch = await request(ctx.app)
      .post('/v1/brands/me/coupon-batches')
      .set(brand.auth)
      .send({ count: 1, discountType: 'percent', percentOff: 5, expiresAt: at });
    expectRefused(batch, 'expiresAt');
    const note = await request(ctx.app)
      .post('/v1/notes')
      .set(member.auth)
      .send({ clientId: randomUUID(), title: 't', body: 'b', languages: ['ja'], writtenAt: at });
    expectRefused(note, 'writtenAt');
  },
);
