/**
 * Riddle answers that normalise to nothing (issue 19.1): an answer made only of punctuation or
 * spaces is refused when a drop is written, emoji answers are answers of their own, and an
 * attempt that normalises to nothing never matches, even against a drop stored before the rule.
 */
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { execute, selectOne } from '../../../src/db/sql';
import { createDrop, PUZZLE, waitForStatus } from '../../support/drops';
import { createListing, signUp, signUpBrand, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

const ctx = useTestApp({ listen: true, workers: true });
let brand: TestUser;

beforeAll(async () => {
  brand = await signUpBrand(ctx.app, 'Fuji Emoji Co');
});

const attempt = (member: TestUser, dropId: string, answer: string) =>
  request(ctx.server)
    .post(`/v1/campaigns/drops/${dropId}/attempts`)
    .set(member.auth)
    .send({ answer });

const puzzleWith = (answers: string[]) => ({ ...PUZZLE, answers });

describe('answers that normalise to nothing', () => {
  test.each([
    ['punctuation only', ['!!!']],
    ['spaces and dashes', [' - '], '0'],
    ['a lone skin-tone modifier', ['\u{1F3FD}']],
    ['one good answer and one empty', ['Mount Fuji', '¿?'], '1'],
  ])('a drop whose answer is %s is a 400 naming it', async (_what, answers, index = '0') => {
    const listing = await createListing(ctx.app, brand, { quantity: 5 });
    const res = await request(ctx.server)
      .post('/v1/campaigns/drops')
      .set(brand.auth)
      .send({
        title: 'Empty riddle',
        listingId: listing.id,
        stock: 1,
        startsAt: '2027-03-15T10:00:00',
        timezone: 'UTC',
        puzzle: puzzleWith(answers),
      });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request',
      param: `puzzle.answers.${index}`,
    });
    expect(res.body.error.message).toMatch(/letter, a digit or an emoji/);
  });

  test('an edit to an answer of punctuation only is a 400, and the old answers stand', async () => {
    const { drop } = await createDrop(ctx.app, brand, {}, 3_600_000);
    const res = await request(ctx.server)
      .patch(`/v1/campaigns/drops/${drop.id}`)
      .set(brand.auth)
      .send({ puzzle: puzzleWith(['...']) });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe('puzzle.answers.0');
    const row = await selectOne<{ hashes: string }>(
      ctx.db,
      'SELECT answer_hashes AS hashes FROM drops WHERE id = ?',
      [drop.id],
    );
    expect(JSON.parse(row!.hashes)).toHaveLength(PUZZLE.answers.length);
  });
});

describe('emoji answers', () => {
  test('an answer of 🗻 is solved by 🗻 only: not by "", "!!!" or 🍣', async () => {
    const { drop } = await createDrop(
      ctx.app,
      brand,
      { puzzle: puzzleWith(['🗻']), maxAttemptsPerUser: 20 },
      400,
    );
    await waitForStatus(ctx.app, drop.id, 'live');
    const member = await signUp(ctx.app);
    for (const wrong of ['', '!!!', '🍣', '   ', '🗻🗻', 'mountain']) {
      const res = await attempt(member, drop.id, wrong);
      expect({ wrong, status: res.status, correct: res.body.correct }).toEqual({
        wrong,
        status: 200,
        correct: false,
      });
    }
    const right = await attempt(member, drop.id, ' 🗻! ');
    expect(right.status).toBe(200);
    expect(right.body.correct).toBe(true);
  });
});

describe('invisible characters in attempts', () => {
  test('zero-width spaces, soft hyphens, joiners, fillers and a BOM neither help nor hurt', async () => {
    const { drop } = await createDrop(ctx.app, brand, { maxAttemptsPerUser: 20, stock: 5 }, 400);
    await waitForStatus(ctx.app, drop.id, 'live');
    const [first, second] = [await signUp(ctx.app), await signUp(ctx.app)];
    for (const wrong of ['\u200b', '\u00ad\u2060', '\ufeff']) {
      const res = await attempt(first, drop.id, wrong);
      expect({ wrong, correct: res.body.correct }).toEqual({ wrong, correct: false });
    }
    const hidden = await attempt(first, drop.id, 'Mount\u200b Fu\u00adji\u2060');
    expect(hidden.body.correct).toBe(true);
    // Letter-like and mark-like ignorables too: a Hangul filler, a combining grapheme joiner.
    const bom = await attempt(second, drop.id, '\ufeff富\u3164士\u034f山');
    expect(bom.body.correct).toBe(true);
  });
});

describe('a drop stored before empty answers were refused', () => {
  test('its empty answer hash is matched by no attempt', async () => {
    const { drop } = await createDrop(ctx.app, brand, { maxAttemptsPerUser: 20 }, 2_000);
    // What the old normaliser stored for an answer of 🗻: the hash of "".
    const row = await selectOne<{ salt: string }>(
      ctx.db,
      'SELECT answer_salt AS salt FROM drops WHERE id = ?',
      [drop.id],
    );
    const emptyHash = createHmac('sha256', row!.salt).update('').digest('hex');
    await execute(ctx.db, 'UPDATE drops SET answer_hashes = ? WHERE id = ?', [
      JSON.stringify([emptyHash]),
      drop.id,
    ]);
    await waitForStatus(ctx.app, drop.id, 'live');
    const member = await signUp(ctx.app);
    for (const wrong of ['', '!!!', '🍵', '\u200b', ' ']) {
      const res = await attempt(member, drop.id, wrong);
      expect({ wrong, correct: res.body.correct }).toEqual({ wrong, correct: false });
    }
  });
});
