/**
 * The shared rule for text (issue 19.10): no NUL or other control characters (tab and line
 * breaks aside) and no unpaired surrogates anywhere in a request's JSON or query; passwords
 * and names that would show nothing are refused. Each refusal is a 400 naming the field and
 * writes nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { selectOne } from '../../../src/db/sql';
import { ADDRESS, signUp, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp();
let member: TestUser;

beforeAll(async () => {
  member = await signUp(ctx.app);
});

const signupBody = (fields: Record<string, unknown> = {}) => ({
  email: `t${randomBytes(6).toString('hex')}@example.com`,
  password: 'correct horse battery',
  displayName: 'Text',
  country: 'JP',
  accountType: 'member',
  ...fields,
});

const usersWithEmail = async (email: string) =>
  Number(
    (await selectOne<{ n: number }>(ctx.db, 'SELECT COUNT(*) AS n FROM users WHERE email = ?', [
      email,
    ]))!.n,
  );

function expectRefused(res: request.Response, param: string) {
  expect({ status: res.status, type: res.body.error?.type, param: res.body.error?.param }).toEqual({
    status: 400,
    type: 'invalid_request',
    param,
  });
}

describe('passwords', () => {
  test.each([
    ['eight spaces', ' '.repeat(8)],
    ['eight NULs', '\u0000'.repeat(8)],
    ['tabs and line breaks only', '\t\n\r\t\n\r\t\n'],
    ['zero-width spaces only', '\u200b'.repeat(8)],
    ['ideographic spaces only', '\u3000'.repeat(8)],
    ['a word with a NUL in it', 'correct\u0000horse'],
  ])('a password of %s is refused at signup', async (_what, password) => {
    const body = signupBody({ password });
    const res = await request(ctx.app).post('/v1/auth/signup').send(body);
    expectRefused(res, 'password');
    expect(await usersWithEmail(body.email)).toBe(0);
  });

  test('spaces inside a password are fine', async () => {
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .send(signupBody({ password: '  a long pass phrase  ' }));
    expect(res.status).toBe(201);
  });
});

describe('names and other stored text', () => {
  test.each([
    ['a NUL', 'Ana\u0000Souza'],
    ['an escape character', 'Ana\u001b[31m'],
    ['DEL', 'Ana\u007f'],
    ['a C1 control', 'Ana\u0085'],
    ['an unpaired surrogate', 'Ana\ud800'],
    ['only a zero-width space', '\u200b'],
    ['only a Hangul filler', '\u3164'],
  ])('a display name with %s is refused at signup and on PATCH /v1/me', async (_what, name) => {
    const body = signupBody({ displayName: name });
    expectRefused(await request(ctx.app).post('/v1/auth/signup').send(body), 'displayName');
    expect(await usersWithEmail(body.email)).toBe(0);
    const patch = await request(ctx.app)
      .patch('/v1/me')
      .set(member.auth)
      .send({ displayName: name });
    expectRefused(patch, 'displayName');
    expect((await request(ctx.app).get('/v1/me').set(member.auth)).body.displayName).toBe('Test');
  });

  test('a brand name of a NUL is refused', async () => {
    const res = await request(ctx.app)
      .post('/v1/auth/signup')
      .send(signupBody({ accountType: 'brand', brandName: '\u0000' }));
    expectRefused(res, 'brandName');
  });

  test('a listing title with a NUL is refused', async () => {
    const bad = await request(ctx.app).post('/v1/listings').set(member.auth).send({
      title: 'Tea\u0000bowl',
      description: 'x',
      priceAmount: 100,
      currency: 'USD',
      quantity: 1,
      category: 'ceramics',
      condition: 'new',
    });
    expectRefused(bad, 'title');
  });

  test('a note keeps the line breaks and tabs of its body', async () => {
    const res = await request(ctx.app)
      .post('/v1/notes')
      .set(member.auth)
      .send({
        clientId: randomUUID(),
        title: 'T',
        body: 'Line one\n\tLine two\r\nend',
        languages: ['ja'],
      });
    expect(res.status).toBe(201);
    expect(res.body.body).toBe('Line one\n\tLine two\r\nend');
  });

  test('a nested field is named by its path', async () => {
    const res = await request(ctx.app)
      .post('/v1/orders')
      .set(member.auth)
      .send({
        items: [{ listingId: 'lst_01jzzzzzzzzzzzzzzzzzzzzzzz', quantity: 1 }],
        shippingAddress: { ...ADDRESS, line1: 'Rua\u0000Augusta' },
      });
    expectRefused(res, 'shippingAddress.line1');
  });

  test('a note with a control character in a tag is refused, and none is stored', async () => {
    const clientId = randomUUID();
    const res = await request(ctx.app)
      .post('/v1/notes')
      .set(member.auth)
      .send({
        clientId,
        title: 'T',
        body: 'B',
        languages: ['ja'],
        cultureTags: ['tea', 'x\u0007'],
      });
    expectRefused(res, 'cultureTags.1');
    const stored = await selectOne<{ n: number }>(
      ctx.db,
      'SELECT COUNT(*) AS n FROM notes WHERE client_id = ?',
      [clientId],
    );
    expect(Number(stored!.n)).toBe(0);
  });

  test('a query parameter with a NUL is refused, naming it', async () => {
    const res = await request(ctx.app).get('/v1/listings').query({ q: 'tea\u0000' });
    expectRefused(res, 'q');
  });
});
