import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  anyJsonArb,
  fakeId,
  keyArb,
  mutatedObjectArb,
  plausible,
  toJson,
  weirdStringArb,
  type UserName,
  type World,
} from './bad-values';
import { idPrefixOf, type Endpoint, type ParamSpec } from './openapi-endpoints';

/** One HTTP request exactly as it goes on the wire. */
export interface WireRequest {
  /** Which part of the request was generated; the other parts are valid. */
  focus: Focus;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export type Focus = 'body' | 'query' | 'path' | 'auth' | 'headers' | 'method' | 'mixed';

const USERS: UserName[] = ['member', 'buyer', 'brand', 'finance', 'moderator', 'admin'];

export interface BadRequestOptions {
  world: World;
  /** A body the endpoint accepts (from a known-valid request), else one made from the schema. */
  validBody?: unknown;
  /** Query parameters the endpoint accepts. */
  validQuery?: Record<string, string>;
}

// ---------------------------------------------------------------- paths

/** Percent-encodes what Node refuses in a request line, and leaves `%`, `/` and `..` alone. */
function rawPathSegment(value: string): string {
  return Array.from(value)
    .map((ch) => (/[\x21-\x7e]/.test(ch) && ch !== '?' && ch !== '#' ? ch : safeEncode(ch)))
    .join('');
}

function safeEncode(value: string): string {
  // Character by character only for a string encodeURIComponent refuses (a lone surrogate).
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeLoneSurrogates(value);
  }
}

function encodeLoneSurrogates(value: string): string {
  return Array.from(value)
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        // A lone surrogate: its WTF-8 bytes, which are not valid UTF-8.
        const code = ch.charCodeAt(0);
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      }
    })
    .join('');
}

/**
 * Node's parser answers 431 itself past 16 KB of request line and headers, before the app (the
 * service's clientError handler turns that into a 400); the generators stay well under it.
 */
function fitsInRequestLine(encoded: string): boolean {
  return encoded.length <= 3000;
}

const PATH_JUNK = [
  '../',
  '..',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%00',
  'x%00y',
  '%',
  '%E0%A4%A',
  '%ZZ',
  '%C0%AE',
  '',
  ' ',
  'x'.repeat(3000),
  'null',
  'undefined',
  '0',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  '*',
  ';',
  '.',
];

function pathValueArb(param: ParamSpec, world: World): fc.Arbitrary<string> {
  const prefix = idPrefixOf(param.schema);
  const own = prefix ? (world.ids[prefix] ?? []) : param.name === 'code' ? world.couponCodes : [];
  const others = Object.entries(world.ids)
    .filter(([p]) => p !== prefix)
    .flatMap(([, ids]) => ids);
  const random26 = fc.string({
    unit: fc.constantFrom(...'0123456789abcdefghijklmnopqrstuvwxyz'),
    minLength: 26,
    maxLength: 26,
  });
  const choices: Array<fc.WeightedArbitrary<string>> = [
    { weight: 2, arbitrary: random26.map((s) => `${prefix ?? 'xyz'}_${s}`).map(safeEncode) },
    { weight: 2, arbitrary: fc.constantFrom(...others).map(safeEncode) },
    { weight: 3, arbitrary: fc.constantFrom(...PATH_JUNK).map(rawPathSegment) },
    { weight: 2, arbitrary: weirdStringArb.map(safeEncode).filter(fitsInRequestLine) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...(own.length > 0 ? own : [fakeId(prefix ?? 'xyz')]))
        .chain((id) =>
          fc.constantFrom(
            id.toUpperCase(),
            `${id}/`,
            `${id}x`,
            `%20${id}`,
            `${id}%0A`,
            id.slice(0, -1),
          ),
        ),
    },
  ];
  if (own.length > 0)
    choices.push({ weight: 2, arbitrary: fc.constantFrom(...own).map(safeEncode) });
  return fc.oneof(...choices);
}

function validPathValueArb(param: ParamSpec, world: World): fc.Arbitrary<string> {
  const prefix = idPrefixOf(param.schema);
  const own = prefix ? (world.ids[prefix] ?? []) : param.name === 'code' ? world.couponCodes : [];
  return fc.constantFrom(...(own.length > 0 ? own : [fakeId(prefix ?? 'xyz')])).map(safeEncode);
}

const TEMPLATE_JUNK = [
  '/',
  '//',
  '/x',
  '/..',
  '/%00',
  '/%E0%A4%A',
  '/.json',
  '?',
  '%20',
  '/../../v1/me',
];

function pathArb(endpoint: Endpoint, world: World, bad: boolean): fc.Arbitrary<string> {
  const fill = (values: string[]) => {
    let index = 0;
    return endpoint.template.replace(/\{[^}]+\}/g, () => values[index++] ?? '');
  };
  const params = endpoint.pathParams.map((p) =>
    bad ? pathValueArb(p, world) : validPathValueArb(p, world),
  );
  const filled = params.length > 0 ? fc.tuple(...params).map(fill) : fc.constant(endpoint.template);
  if (!bad) return filled;
  // Around the template itself: trailing junk, doubled slashes, case, another version.
  return fc.oneof(
    { weight: 3, arbitrary: filled },
    {
      weight: 1,
      arbitrary: fc
        .tuple(filled, fc.constantFrom(...TEMPLATE_JUNK))
        .map(([path, junk]) => path + junk),
    },
    {
      weight: 1,
      arbitrary: filled.chain((path) =>
        fc.constantFrom(
          path.toUpperCase(),
          path.replace('/v1/', '/v1//'),
          path.replace('/v1/', '/v2/'),
          `/${path}`,
          path.replace(/\/$/, ''),
        ),
      ),
    },
  );
}

// ---------------------------------------------------------------- query strings

const QUERY_VALUES = [
  '-1',
  '0',
  '101',
  'abc',
  '1.5',
  '1e309',
  'NaN',
  'Infinity',
  '',
  '9'.repeat(30),
  'x'.repeat(200),
  'x'.repeat(201),
  'あ'.repeat(200),
  'garbage',
  Buffer.from('v1:../../etc', 'utf8').toString('base64url'),
  Buffer.from('v2:lst_01jzzzzzzzzzzzzzzzzzzzzzzz', 'utf8').toString('base64url'),
  '%%%',
  'x'.repeat(2500),
  '2026-02-30',
  'true',
  '[]',
  '{}',
];

function queryValueArb(world: World): fc.Arbitrary<string> {
  const cursorsOfOtherKinds = Object.values(world.ids)
    .flat()
    .map((id) => Buffer.from(`v1:${id}`, 'utf8').toString('base64url'));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...QUERY_VALUES) },
    { weight: 1, arbitrary: fc.constantFrom(...cursorsOfOtherKinds) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(world.ids).flat()) },
    { weight: 2, arbitrary: weirdStringArb.filter((s) => fitsInRequestLine(safeEncode(s))) },
  );
}

function queryArb(endpoint: Endpoint, world: World, base: Record<string, string>) {
  const names = [...endpoint.queryParams.map((p) => p.name), 'limit', 'cursor'];
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...names) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '__proto__',
        'constructor',
        'a[b]',
        'limit[]',
        '',
        'x'.repeat(300),
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  );
  const pair = fc.tuple(key, queryValueArb(world), fc.boolean());
  return fc
    .tuple(fc.array(pair, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
    .map(([pairs, keepBase, flagOnly]) => {
      const parts = keepBase
        ? Object.entries(base).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        : [];
      for (const [k, v, raw] of pairs) {
        const encode = raw ? rawPathSegment : safeEncode;
        parts.push(flagOnly && v === '' ? encode(k) : `${encode(k)}=${encode(v)}`);
      }
      return parts.join('&');
    });
}

function validQuery(base: Record<string, string>): string {
  return Object.entries(base)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

// ---------------------------------------------------------------- headers

function authArb(world: World, bad: boolean): fc.Arbitrary<string | undefined> {
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
const contentTypeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES) },
);

interface ExtraHeaders {
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

const extraHeadersArb: fc.Arbitrary<ExtraHeaders> = fc
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

// ---------------------------------------------------------------- bodies

interface BodyPart {
  body?: string | Buffer;
  /** undefined: application/json; null: no Content-Type header. */
  contentType?: string | null;
}

const NOT_JSON = [
  '{"a":',
  "{'a':1}",
  'undefined',
  'NaN',
  '{"a":1}x',
  '\u0000',
  'a=1&b=2',
  '<xml/>',
  '{"a":1,}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '\ufeff{}',
  ' ',
  '[',
  '"',
];

function bodyArb(endpoint: Endpoint, base: unknown, world: World): fc.Arbitrary<BodyPart> {
  const schema = endpoint.body;
  const json = (value: unknown): BodyPart => ({ body: toJson(value) });
  const choices: Array<fc.WeightedArbitrary<BodyPart>> = [
    {
      weight: 2,
      arbitrary: fc
        .dictionary(keyArb(schema), anyJsonArb, { maxKeys: 5, noNullPrototype: true })
        .map(json),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('null', '[]', '"x"', '0', 'true', '[{}]', '""', '-1')
        .map((body) => ({ body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.constantFrom(...NOT_JSON), fc.string({ maxLength: 20 }))
        .map((body) => ({ body })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<BodyPart>({ body: '' }, {}, { body: '', contentType: null }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<BodyPart>(
        // Invalid UTF-8 inside a string, and a body over (and at) the 256 KB limit.
        {
          body: Buffer.concat([
            Buffer.from('{"title":"'),
            Buffer.from([0xff, 0xfe, 0xc0]),
            Buffer.from('"}'),
          ]),
        },
        { body: toJson({ ...(base as object), title: 'x'.repeat(300 * 1024) }) },
        { body: toJson({ ...(base as object), title: 'x'.repeat(256 * 1024 - 300) }) },
      ),
    },
  ];
  if (schema) {
    choices.push(
      { weight: 12, arbitrary: mutatedObjectArb(schema, base, world).map(json) },
      { weight: 1, arbitrary: fc.constant(json(base)) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...Object.keys(schema.properties ?? { x: 0 })), anyJsonArb)
          .map(([key, value]) => ({
            // Duplicate keys: the parser keeps the last one.
            body: `{${JSON.stringify(key)}:${toJson(plausible(schema.properties?.[key] ?? {}, key, world))},${toJson(base).slice(1, -1)}${Object.keys(base as object).length > 0 ? ',' : ''}${JSON.stringify(key)}:${toJson(value)}}`,
          })),
      },
    );
  }
  return fc.oneof(...choices);
}

function baseBody(endpoint: Endpoint, base: unknown): BodyPart {
  return endpoint.body ? { body: toJson(base) } : {};
}

// ---------------------------------------------------------------- requests

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function focusArb(endpoint: Endpoint): fc.Arbitrary<Focus> {
  return fc.oneof(
    { weight: endpoint.body ? 6 : 2, arbitrary: fc.constant<Focus>('body') },
    { weight: endpoint.queryParams.length > 0 ? 3 : 1, arbitrary: fc.constant<Focus>('query') },
    { weight: endpoint.pathParams.length > 0 ? 3 : 1, arbitrary: fc.constant<Focus>('path') },
    { weight: 2, arbitrary: fc.constant<Focus>('auth') },
    { weight: 2, arbitrary: fc.constant<Focus>('headers') },
    { weight: 1, arbitrary: fc.constant<Focus>('method') },
    { weight: 2, arbitrary: fc.constant<Focus>('mixed') },
  );
}

export function defaultBody(endpoint: Endpoint, options: BadRequestOptions): unknown {
  if (!endpoint.body) return undefined;
  return options.validBody ?? plausible(endpoint.body, 'body', options.world);
}

export function defaultQuery(
  endpoint: Endpoint,
  options: BadRequestOptions,
): Record<string, string> {
  if (options.validQuery) return options.validQuery;
  return Object.fromEntries(
    endpoint.queryParams
      .filter((p) => p.required)
      .map((p) => [p.name, String(plausible(p.schema, p.name, options.world))]),
  );
}

function assemble(
  focus: Focus,
  method: string,
  path: string,
  query: string,
  auth: string | undefined,
  extra: ExtraHeaders,
  part: BodyPart,
): WireRequest {
  const headers: Record<string, string> = { ...extra.headers };
  if (auth !== undefined) headers.Authorization = auth;
  let body = part.body;
  if (body !== undefined) {
    if (part.contentType !== null) headers['Content-Type'] = part.contentType ?? 'application/json';
    if (extra.gzip && headers['Content-Encoding'] === 'gzip') body = gzipSync(body);
  }
  return { focus, method, url: query ? `${path}?${query}` : path, headers, body };
}

/** Requests to one endpoint with one part generated (or all of them, for `mixed`). */
export function badRequestArb(
  endpoint: Endpoint,
  options: BadRequestOptions,
): fc.Arbitrary<WireRequest> {
  const { world } = options;
  const base = defaultBody(endpoint, options);
  const query = defaultQuery(endpoint, options);
  // Made once, not for each request: the bodies alone serialise two of about 300 KB. Auth is
  // made for each request, from the tokens of the moment (a logout replaces them).
  const badPath = pathArb(endpoint, world, true);
  const validPath = pathArb(endpoint, world, false);
  const badQuery = queryArb(endpoint, world, query);
  const badBody = fc
    .tuple(bodyArb(endpoint, base, world), contentTypeArb)
    .map(([part, type]): BodyPart =>
      type !== undefined && part.body !== undefined && part.contentType === undefined
        ? { ...part, contentType: type }
        : part,
    );
  return focusArb(endpoint).chain((focus) => {
    const all = focus === 'mixed';
    return fc
      .tuple(
        focus === 'method'
          ? fc.constantFrom(...METHODS.filter((m) => m !== endpoint.method))
          : fc.constant(endpoint.method),
        all || focus === 'path' ? badPath : validPath,
        all || focus === 'query' ? badQuery : fc.constant(validQuery(query)),
        authArb(world, all || focus === 'auth'),
        all || focus === 'headers' ? extraHeadersArb : fc.constant({ headers: {}, gzip: false }),
        all || focus === 'body' ? badBody : fc.constant(baseBody(endpoint, base)),
      )
      .map(([method, path, q, auth, extra, part]) =>
        assemble(focus, method, path, q, auth, extra, part),
      );
  });
}

/** The request the generators start from: every part valid, sent as `user`. */
export function validRequest(
  endpoint: Endpoint,
  options: BadRequestOptions,
  user: UserName | undefined,
  pathValues: string[] = [],
): WireRequest {
  let index = 0;
  const path = endpoint.template.replace(/\{[^}]+\}/g, () =>
    encodeURIComponent(pathValues[index++] ?? ''),
  );
  const query = validQuery(defaultQuery(endpoint, options));
  const auth = user ? `Bearer ${options.world.tokens[user]}` : undefined;
  return assemble(
    'body',
    endpoint.method,
    path,
    query,
    auth,
    { headers: {}, gzip: false },
    baseBody(endpoint, defaultBody(endpoint, options)),
  );
}
