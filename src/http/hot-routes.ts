import type { IncomingMessage, ServerResponse } from 'node:http';
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
type Plain = { route: HotRoute; params: Record<string, string>; refusal?: AppError };

function plainEnough(req: IncomingMessage, options: HotPathOptions): Plain | undefined {
  const { url, method, headers } = req;
  if (url === undefined || url.includes('?')) return undefined;
  let found: Plain | undefined;
  for (const route of options.routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(url);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.paramNames.forEach((name, i) => (params[name] = match[i + 1]!));
    found = { route, params };
    break;
  }
  if (!found || options.corsEnabled || options.isDraining()) return undefined;
  const refusal = bodyRefusal(method, headers, options.bodyRules);
  if (refusal) return { ...found, refusal };
  return isPlainJsonBody(headers) ? found : undefined;
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
 * The drop burst's path: routes marked `hot` are served straight from node:http, skipping
 * Express's per-request setup, its router's walk over every route and the middleware chain,
 * which cost more than the attempt itself (bench/RESULTS.md). It answers exactly as the
 * Express path does, built from the same pieces (request id, security headers, metrics, log
 * line, body limit, JSON parsing, authentication, access, zod schemas, error mapping), in the
 * same order; test/integration/hot-routes.test.ts compares the two answer for answer. A body
 * refused from its headers (src/http/content-type.ts) and an Idempotency-Key
 * (src/http/idempotency.ts) are handled here by the same code Express runs; anything out of
 * the ordinary (a query string, another charset, a chunked or compressed body, CORS
 * configured, draining) is left to Express.
 */
export function hotPath(options: HotPathOptions) {
  const { logger, metrics } = options;

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    { route, params, refusal }: Plain,
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
      // Signed out, the route answers 401 whatever the key: nothing to claim for it.
      if (key !== undefined && auth) {
        const started = await options.idempotencyKeys.start(
          key,
          auth.userId,
          fingerprintOf(req.method!, req.url!, raw),
        );
        if (started.kind === 'replay') return replay(res, started.status, started.body);
        claim = started;
        res.once('close', () => started.stopRenewing());
      }
      const context = plainContext(spec, auth, { params, query: {}, body });
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
