import { Writable } from 'node:stream';
import type { App } from '../../../src/http/front-door';
import request from 'supertest';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { signUp, until, type TestUser } from '../../support/fixtures';
import { useTestApp } from '../../support/test-app';

interface Line {
  requestId: string;
  method: string;
  url: string;
  userId?: string;
  status: number;
  msg: string;
}

const ctx = useTestApp();
let app: App;
let member: TestUser;
const lines: Line[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n'))
        if (text.trim() !== '') lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  // The same app as every test builds, its log captured.
  app = createApp({ ...ctx.deps, logger: createLogger('info', sink) }, ctx.services);
  member = await signUp(ctx.app);
});

/** The line logged for the answer `res`, found by its request id. */
function lineOf(res: request.Response): Promise<Line> {
  const id = res.headers['x-request-id'] as string;
  return until(`the log line of ${id}`, async () => lines.find((l) => l.requestId === id));
}

const CODE = 'K7QW-M2XD-9RFT-4HBN';

describe('request log lines', () => {
  test('carry the signed-in caller id, and none for an anonymous caller', async () => {
    const signedIn = await request(app).get('/v1/me').set(member.auth);
    expect(await lineOf(signedIn)).toMatchObject({
      method: 'GET',
      url: '/v1/me',
      userId: member.id,
      status: 200,
    });
    const anonymous = await request(app).get('/v1/listings');
    const line = await lineOf(anonymous);
    expect(line.status).toBe(200);
    expect(line).not.toHaveProperty('userId');
  });

  test('a hot-path request is logged with its caller too', async () => {
    const drop = `drp_${'0'.repeat(26)}`;
    const res = await request(app)
      .post(`/v1/campaigns/drops/${drop}/attempts`)
      .set(member.auth)
      .send({ answer: 'tea' });
    expect(res.status).toBe(404);
    expect(await lineOf(res)).toMatchObject({
      url: `/v1/campaigns/drops/${drop}/attempts`,
      userId: member.id,
      status: 404,
    });
  });

  test.each([
    [
      `/v1/coupons/${CODE}/preview?listingId=lst_x`,
      '/v1/coupons/[redacted]/preview?listingId=lst_x',
    ],
    [
      `/v1/coupons/${CODE.toLowerCase().replace(/-/g, '')}/preview`,
      '/v1/coupons/[redacted]/preview',
    ],
    [`/V1/Coupons/${CODE}/previw`, '/V1/Coupons/[redacted]/previw'],
  ])('never a coupon code in the path: %s', async (url, logged) => {
    const res = await request(app).get(url).set(member.auth);
    const line = await lineOf(res);
    expect(line.url).toBe(logged);
    expect(JSON.stringify(line)).not.toMatch(/K7QW|k7qw/);
    expect(line.userId).toBe(member.id);
  });

  test('never a token or code in the query, whatever else is in it', async () => {
    const res = await request(app).get(
      '/v1/listings?reservationToken=rsv-secret-1&token=tok-secret-2&couponCode=K7QWM2XD&limit=5',
    );
    expect(res.status).toBe(400);
    const line = await lineOf(res);
    expect(line.url).toBe(
      '/v1/listings?reservationToken=[redacted]&token=[redacted]&couponCode=[redacted]&limit=5',
    );
    expect(JSON.stringify(line)).not.toMatch(/secret|K7QW/);
  });
});
