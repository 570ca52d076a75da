import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, Response, Router } from 'express';
import type { z } from 'zod';
import { AppError } from './app-error';
import { refuseForbiddenText } from './control-characters';
import { hasRole, type AuthContext, type Role } from './auth-context';
import { registerRoutePath } from './log-redaction';
import { errorResponses } from './openapi';
import { declaredKeys, NO_QUERY, parseInput } from './parse-input';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call: anyone, any signed-in user, or signed-in users with one of the roles. */
export type Access = 'public' | 'signed-in' | Role[];

/** What every handler gets: the request's checked input and its caller. */
export interface PlainContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  auth: AuthContext | undefined;
}

/** What a handler served only by Express gets: also Express's request and response. */
export interface RouteContext<B, Q, P> extends PlainContext<B, Q, P> {
  req: Request;
  res: Response;
}

export interface RouteSpec<
  B extends z.ZodType,
  Q extends z.ZodType,
  P extends z.ZodType,
  H extends boolean = false,
> {
  method: Method;
  /** Express path, e.g. `/v1/listings/:id`. */
  path: string;
  /**
   * The operation's name in /openapi.json, what generated clients call their method: unique,
   * camelCase, verb first: `listListings`, `getListing`, `createOrder`, `updateListing`,
   * `deleteNote`, an action's own verb (`payOrder`, `cancelDrop`); the caller's own things
   * with `My` (`listMyListings`, `getMe`). Never renamed once published.
   */
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Success status; 200 unless given. */
  status?: number;
  response?: z.ZodType;
  /** For routes that write their own response (CSV, redirects). */
  produces?: string;
  errors?: number[];
  /**
   * Served by the hot path (src/http/hot-routes.ts) outside Express when the request is plain
   * enough; its handler then gets only the checked input and the caller, no req or res.
   */
  hot?: H;
  handler: (
    context: H extends true
      ? PlainContext<z.output<B>, z.output<Q>, z.output<P>>
      : RouteContext<z.output<B>, z.output<Q>, z.output<P>>,
  ) => Promise<unknown> | unknown;
}

/** Any route's spec, as the router and the hot path hold it. */
type AnySpec = RouteSpec<z.ZodType, z.ZodType, z.ZodType, boolean>;

function checkAccess(access: Access, auth: AuthContext | undefined): void {
  if (access === 'public') return;
  if (!auth) throw AppError.unauthenticated();
  if (access !== 'signed-in' && !hasRole(auth, ...access)) throw AppError.forbidden();
}

const queryKeys = new WeakMap<z.ZodType, ReadonlySet<string> | undefined>();

/** The query parameters a route declares, worked out once per schema. */
function knownQueryKeys(schema: z.ZodType): ReadonlySet<string> | undefined {
  if (!queryKeys.has(schema)) queryKeys.set(schema, declaredKeys(schema));
  return queryKeys.get(schema);
}

function parseQuery(schema: z.ZodType | undefined, query: unknown): unknown {
  // The drop burst's requests carry no query: nothing to check on a route that declares none.
  if (!schema && (query === undefined || Object.keys(query as object).length === 0)) return {};
  const checked = schema ?? NO_QUERY;
  return parseInput(checked, query, 'query', knownQueryKeys(checked));
}

/**
 * What a handler gets, checked: the caller may call the route, and path, query and body
 * match its schemas. Shared by the Express route and the hot path, so both refuse alike.
 */
export function plainContext(
  spec: AnySpec,
  auth: AuthContext | undefined,
  input: { params: unknown; query: unknown; body: unknown },
): PlainContext<unknown, unknown, unknown> {
  checkAccess(spec.access, auth);
  refuseForbiddenText({
    query: spec.query ? input.query : undefined,
    body: spec.body ? input.body : undefined,
  });
  return {
    params: spec.params ? parseInput(spec.params, input.params, 'path') : input.params,
    query: parseQuery(spec.query, input.query),
    body: spec.body ? parseInput(spec.body, input.body, 'body') : input.body,
    auth,
  };
}

/** Calls a spec's handler with a context; its type was checked where the spec was written. */
export function callHandler(spec: AnySpec, context: PlainContext<unknown, unknown, unknown>) {
  return (spec.handler as (context: PlainContext<unknown, unknown, unknown>) => unknown)(context);
}

/** A handler that answers nothing gets 204 where the route's success status is 200. */
export function emptyStatus(status: number): number {
  return status === 200 ? 204 : status;
}

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** A route served by the hot path: its pattern, compiled once from the Express path. */
export interface HotRoute {
  method: string;
  /** The Express path as a pattern, one capture group per `:param`. */
  pattern: RegExp;
  paramNames: string[];
  spec: AnySpec;
  status: number;
}

function hotRoute(spec: AnySpec, status: number): HotRoute {
  const paramNames: string[] = [];
  const source = spec.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(segment.slice(1));
      // Percent-encoded params are left to Express, which decodes (or refuses) them.
      return '([^/%]+)';
    })
    .join('/');
  return {
    method: spec.method.toUpperCase(),
    pattern: new RegExp(`^${source}$`),
    paramNames,
    spec,
    status,
  };
}

/**
 * A route whose zod schemas validate the request and also describe it in /openapi.json,
 * so the documentation cannot drift from what the server accepts.
 */
export class ApiRoutes {
  readonly docs: RouteConfig[] = [];
  readonly hot: HotRoute[] = [];

  constructor(private readonly router: Router) {}

  add<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, H extends boolean = false>(
    typed: RouteSpec<B, Q, P, H>,
  ): void {
    const spec = typed as unknown as AnySpec;
    const status = spec.status ?? 200;
    this.router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const context = { ...plainContext(spec, req.auth, req), req, res };
        const result = await callHandler(spec, context);
        if (res.headersSent || spec.produces) return;
        if (result === undefined) res.status(emptyStatus(status)).end();
        else res.status(status).json(result);
      } catch (error) {
        next(error);
      }
    });
    registerRoutePath(spec.path);
    this.docs.push(this.describe(spec, status));
    if (spec.hot) this.hot.push(hotRoute(spec, status));
  }

  private describe(spec: AnySpec, status: number): RouteConfig {
    const success = spec.produces
      ? {
          description: 'Success',
          content: { [spec.produces]: { schema: { type: 'string' as const } } },
        }
      : spec.response
        ? { description: 'Success', content: { 'application/json': { schema: spec.response } } }
        : { description: 'Success' };
    const errors = new Set(spec.errors ?? []);
    errors.add(400);
    if (spec.access !== 'public') errors.add(401);
    if (Array.isArray(spec.access)) errors.add(403);
    if (spec.method === 'post') errors.add(409);
    return {
      method: spec.method,
      path: toOpenApiPath(spec.path),
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.access === 'public' ? [] : [{ bearerAuth: [] }],
      request: {
        ...(spec.params ? { params: spec.params as never } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.body
          ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } }
          : {}),
      },
      responses: { [status]: success, ...errorResponses([...errors]) },
    };
  }
}
