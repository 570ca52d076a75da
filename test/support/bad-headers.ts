import fc from 'fast-check';
import { type UserName, type World } from './plausible-values';

/** Headers: Authorization, Idempotency-Key, Content-Type and the odd others a request may carry. */

const USERS: UserName[] = ['member', 'buyer', 'brand', 'finance', 'moderator', 'admin'];

export function authArb(world: World, bad: boolean): fc.Arbitrary<string | undefined> {
  const valid = fc.constantFrom(...USERS).map((user) => `Bearer ${world.tokens[user]}`);
  if (!bad) return valid;
  const token = world.tokens.member;
  const brand = world.tokens.brand;
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 2, arbitrary: fc.constant(undefined) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        'Bearer',
        'Bearer ',
        'Bearer x',
        `Bearer cs_${'a'.repeat(43)}`,
        `Bearer ${'a'.repeat(201)}`,
        'Basic dXNlcjpwYXNz',
        'Token abc',
        `bearer ${token}`,
        `BEARER  ${brand}`,
        token,
        `Bearer ${token},Bearer ${brand}`,
        `Bearer ${token}x`,
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${brand} `,
        `Bearer\t${token}`,
        'Bearer ü',
        `Bearer ${token}\u00ff`,
        'Bearer null',
        'Bearer undefined',
        '',
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: fc.constantFrom(...'ABCabc012_-'), minLength: 20, maxLength: 60 })
        .map((t) => `Bearer ${t}`),
    },
  );
}

const IDEMPOTENCY_KEYS = [
  '',
  ' ',
  'k'.repeat(255),
  'k'.repeat(256),
  'ü',
  'key with spaces',
  'fixed-key-1',
  'fixed-key-2',
  '\t',
  '../../',
  '%00',
];

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/*',
  'json',
  '',
];

/** Mostly JSON; one body in five goes with another (or a broken) media type. */
export const contentTypeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES) },
);

export interface ExtraHeaders {
  headers: Record<string, string>;
  gzip: boolean;
}

/** Node refuses to send control characters other than tab in a header value. */
function isSendableHeaderValue(value: string): boolean {
  return Array.from(value).every((ch) => {
    const code = ch.charCodeAt(0);
    return code === 9 || (code >= 0x20 && code !== 0x7f);
  });
}

export const extraHeadersArb: fc.Arbitrary<ExtraHeaders> = fc
  .record(
    {
      'Idempotency-Key': fc.oneof(
        fc.constantFrom(...IDEMPOTENCY_KEYS),
        fc.string({ unit: 'binary-ascii', maxLength: 10 }).filter(isSendableHeaderValue),
      ),
      'X-Request-Id': fc.constantFrom('x', 'bad id', 'a'.repeat(500), 'trace-1234-abcd'),
      Accept: fc.constantFrom('text/html', 'application/xml', '*/*', 'text/csv'),
      'Content-Encoding': fc.constantFrom(
        'gzip',
        'deflate',
        'br',
        'identity',
        'compress',
        'gzip, gzip',
      ),
      'Stripe-Signature': fc.constantFrom('t=1,v1=abc', '', 'garbage', `t=${'9'.repeat(30)},v1=`),
      'X-Forwarded-For': fc.constantFrom('1.2.3.4', 'garbage', '::1, 10.0.0.1'),
    },
    { requiredKeys: [] },
  )
  .chain((headers) =>
    fc.boolean().map((gzip) => ({ headers: headers as Record<string, string>, gzip })),
  );
