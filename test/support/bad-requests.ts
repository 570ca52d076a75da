import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { plausible, type UserName, type World } from './plausible-values';
import { type Endpoint } from './openapi-endpoints';
import { baseBody, bodyArb, type BodyPart } from './bad-bodies';
import { authArb, contentTypeArb, extraHeadersArb, type ExtraHeaders } from './bad-headers';
import { pathArb } from './bad-paths';
import { queryArb, validQuery } from './bad-queries';

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
export interface BadRequestOptions {
  world: World;
  /** A body the endpoint accepts (from a known-valid request), else one made from the schema. */
  validBody?: unknown;
  /** Query parameters the endpoint accepts. */
  validQuery?: Record<string, string>;
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
