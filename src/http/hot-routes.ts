import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { Logger } from '../logger';
import type { Metrics } from '../ops/metrics';
import { AppError, errorBody } from './app-error';
import type { AuthContext } from './auth-context';
import { authorizationOf, type TokenResolver } from './authenticate';
import { answerFor } from './error-handler';
import { logWhenFinished } from './request-log';
import { requestIdFor } from './request-id';
import { bodyRefusal, isPlainJsonBody, type BodyRules } from './content-type';
import { fingerprintOf, type Claim, type IdempotencyKeys } from './idempotency';
import { callHandler, emptyStatus, plainContext, type HotRoute } from './route';
import { API_SECURITY_HEADERS } from './security-headers';

export interface HotPathOptions {
  routes: HotRoute[];
  resolveToken: TokenResolver;
  logger: Logger;
  metrics: Metrics;
  bodyRules: BodyRules;
  idempotencyKeys: IdempotencyKeys;
  /** With CORS on, every request goes through Express: the cors middleware sets headers (Vary) on all. */
  corsEnabled: boolean;
  isDraining: () => boolean;
}

/**
 * A request the hot path may serve, perhaps with the refusal its headers already earn;
 * anything else goes to Express, which handles every case.
 */
type Plain = {
  route: HotRoute;
  params: Record<string, string>;
  query: Record<string, unknown>;
  refusal?: AppError;
};

/** Characters after which Express's URL parsing (parseurl) no longer just splits at `?`. */
const NOT_SPLIT_PLAINLY = /[\t\n\f\r #\u00a0\ufeff]/;
const NO_QUERY: Record<string, unknown> = {};
const EMPTY_BODY = Buffer.alloc(0);

function plainEnough(req: IncomingMessage, options: HotPathOptions): Plain | undefined {
  const { url, method, headers } = req;
  if (url === undefined || NOT_SPLIT_PLAINLY.test(url)) return undefined;
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  let found: Plain | undefined;
  for (const route of options.routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    // A query string only for a GET that declares its query; the writes take none.
    if (mark >= 0 && (method !== 'GET' || !route.spec.query)) return undefined;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => (params[name] = match[i + 1]!));
    // As Express's "simple" query parser (node:querystring) reads it.
    const query = mark < 0 ? NO_QUERY : parseQueryString(url.slice(mark + 1));
    found = { route, params, query };
    break;
  }
  if (!found || options.corsEnabled || options.isDraining()) return undefined;
  // A GET is plain without a body; one with a body is left to Express's body parser.
  if (method === 'GET') return hasNoBody(headers) ? found : undefined;
  const refusal = bodyRefusal(method, headers, options.bodyRules);
  if (refusal) return { ...found, refusal };
  return isPlainJsonBody(headers) ? found : undefined;
}

function hasNoBody(headers: IncomingMessage['headers']): boolean {
  return headers['content-length'] === undefined && headers['transfer-encoding'] === undefined;
}

/** A request whose Idempotency-Key was used before gets that first answer again. */
function replay(res: ServerResponse, status: number, body: unknown): void {
  res.setHeader('Idempotent-Replayed', 'true');
  if (body === null) {
    res.statusCode = status;
    res.end();
  } else sendJson(res, status, body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (body === undefined) {
    res.statusCode = emptyStatus(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * The path of the busiest routes (drop attempts, checkout, browsing): routes marked `hot` are
 * served straight from node:http, skipping
 * Express's per-request setup, its router's walk over every route and the middleware chain,
 * which cost more than the attempt itself (bench/RESULTS.md). It answers exactly as the
 * Express path does, built from the same pieces (request id, security headers, metrics, log
 * line, body limit, JSON parsing, authentication, access, zod schemas, error mapping), in the
 * same order; test/integration/hot-routes.test.ts compares the two answer for answer. A body
 * refused from its headers (src/http/content-type.ts) and an Idempotency-Key
 * (src/http/idempotency.ts) are handled here by the same code Express runs, and a GET's query
 * string is read as Express's "simple" parser reads it; anything out of the ordinary (a query
 * string on a write, a GET with a body, another charset, a chunked or compressed body, CORS
 * configured, draining) is left to Express.
 */
export function hotPath(options: HotPathOptions) {
  const { logger, metrics } = options;

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    { route, params, query, refusal }: Plain,
    requestId: string,
    raw: Buffer,
    caller: { auth?: AuthContext },
  ) {
    const { spec, status } = route;
    let claim: Claim | undefined;
    try {
      if (refusal) throw refusal;
      let body: unknown = {};
      if (raw.length > 0) {
        try {
          // As body-parser decodes: a UTF-8 byte order mark is dropped.
          const hasBom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
          body = JSON.parse(raw.toString('utf8', hasBom ? 3 : 0));
        } catch {
          throw AppError.invalid('malformed_json', 'The request body is not valid JSON.');
        }
      }
      const auth = await authorizationOf(req.headers.authorization, options.resolveToken);
      caller.auth = auth;
      const key = req.headers['idempotency-key'] as string | undefined;
      // Signed out, the route answers 401 whatever the key: nothing to claim for it. As in
      // Express, only a POST is claimed.
      if (key !== undefined && auth && req.method === 'POST') {
        const started = await options.idempotencyKeys.start(
          key,
          auth.userId,
          fingerprintOf(req.method!, req.url!, raw),
        );
        if (started.kind === 'replay') return replay(res, started.status, started.body);
        claim = started;
        res.once('close', () => started.stopRenewing());
      }
      const context = plainContext(spec, auth, { params, query, body });
      const result = await callHandler(spec, context);
      claim?.finish(result === undefined ? emptyStatus(status) : status, result ?? null);
      sendJson(res, status, result);
    } catch (error) {
      const answer = answerFor(error, requestId, logger);
      const answered = errorBody(answer);
      claim?.finish(answer.status, answered);
      if (res.headersSent) res.destroy();
      else sendJson(res, answer.status, answered, answer.headers);
    }
  }

  /** Serves `req` if it is a plain request for a hot route; answers whether it did. */
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const plain = plainEnough(req, options);
    if (!plain) return false;
    const incoming = req.headers['x-request-id'];
    const requestId = requestIdFor(Array.isArray(incoming) ? incoming[0] : incoming);
    res.setHeader('X-Request-Id', requestId);
    res.setHeaders(API_SECURITY_HEADERS.set);
    metrics.observeRoute(req.method!, plain.route.spec.path, res);
    const caller: { auth?: AuthContext } = {};
    if (logger.isLevelEnabled('info'))
      logWhenFinished(
        logger,
        { requestId, method: req.method, url: req.url, userId: () => caller.auth?.userId },
        res,
      );
    if (req.method === 'GET') {
      void serve(req, res, plain, requestId, EMPTY_BODY, caller);
      return true;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      void serve(req, res, plain, requestId, raw, caller);
    });
    req.on('error', () => res.destroy());
    return true;
  };
}
