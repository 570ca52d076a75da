import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Public pages anyone signed out sees alike: a listing and a stall. Everything else (forms,
 * countdowns, the storefront's search) is rendered for each request.
 */
const CACHEABLE = [/^\/listings\/[A-Za-z0-9_-]{1,64}$/, /^\/stalls\/[A-Za-z0-9_-]{1,64}$/];

/** The headers of a rendered page kept with it; the rest (Date, Connection...) are per response. */
const KEPT_HEADERS = [
  'content-type',
  'content-language',
  'content-security-policy',
  'cache-control',
  'referrer-policy',
  'vary',
  'link',
];

interface CachedPage {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
  expires: number;
}

export interface PageCacheOptions {
  /** How long a page is kept; 0 turns the cache off. */
  ttlMs: number;
  /** Pages kept at most (the oldest go first). */
  maxEntries?: number;
  now?: () => number;
}

function cookieValue(cookies: string | undefined, name: string): string | undefined {
  if (!cookies) return undefined;
  const match = new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(cookies);
  return match?.[1];
}

/**
 * Rendered pages for signed-out visitors, kept a few seconds: a shared link opened by many
 * people is rendered once, not once each. A page depends only on its URL, the language asked
 * for (the `lang` cookie, else Accept-Language) and the `tz` cookie, so those are the key; a
 * request carrying a session cookie is never answered from here, nor is its page kept.
 *
 * A kept page cannot carry a per-response CSP nonce (every visitor would get the same one), so
 * cacheable pages are rendered without one: entry.server hashes their inline scripts into the
 * Content-Security-Policy instead, and that policy is kept with the page.
 *
 * Any write through this process's API forgets every kept page (forget()), so a seller sees
 * their change at once; writes elsewhere (another process, a background job) show within ttlMs.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Keys being rendered for the cache, with the requests waiting for that render. */
  private readonly rendering = new Map<string, Array<() => void>>();
  /** Bumped by forget(): a render that started before it is not kept. */
  private generation = 0;

  constructor(private readonly options: PageCacheOptions) {
    this.maxEntries = options.maxEntries ?? 2000;
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  /** The key of a request that may be answered from (and kept in) the cache, else undefined. */
  keyOf(req: Request): string | undefined {
    if (!this.enabled || req.method !== 'GET') return undefined;
    if (!CACHEABLE.some((pattern) => pattern.test(req.path))) return undefined;
    const cookies = req.headers.cookie;
    if (cookieValue(cookies, 'cs_session')) return undefined;
    return [
      req.originalUrl,
      cookieValue(cookies, 'lang') ?? '',
      cookieValue(cookies, 'tz') ?? '',
      req.headers['accept-language'] ?? '',
    ].join('\n');
  }

  forget(): void {
    this.generation += 1;
    this.pages.clear();
  }

  /**
   * Answers from the cache when it can (mounted before compression: kept pages are stored
   * compressed); otherwise marks the request so its page is rendered for the cache. One
   * request renders a key at a time: while it does, the others get the page it replaces (a
   * few seconds old) or, when there is none, wait for it rather than all rendering at once.
   */
  readonly serve = (req: Request, res: Response, next: NextFunction): void => {
    const key = this.keyOf(req);
    if (key === undefined) return next();
    const page = this.pages.get(key);
    if (page && page.expires > this.now()) return this.send(req, res, page);
    const waiting = this.rendering.get(key);
    if (waiting) {
      if (page) return this.send(req, res, page);
      if (res.locals.pageCacheWaited !== true) {
        res.locals.pageCacheWaited = true;
        waiting.push(() => this.serve(req, res, next));
        return;
      }
      // Waited once already and the page was not kept (not cacheable): render it here.
      return next();
    }
    this.rendering.set(key, []);
    res.locals.pageCacheKey = key;
    const started = this.generation;
    // However the response ends (sent, refused, aborted), the requests waiting go on.
    res.once('close', () => {
      const release = () => {
        const waiters = this.rendering.get(key) ?? [];
        this.rendering.delete(key);
        for (const retry of waiters) retry();
      };
      const body = res.locals.pageCacheBody as Buffer[] | undefined;
      const policy = res.getHeader('content-security-policy');
      // Only whole 200 pages rendered for the cache (hash-based CSP, no nonce) are kept.
      if (
        !body ||
        !res.writableFinished ||
        res.statusCode !== 200 ||
        res.getHeader('set-cookie') !== undefined ||
        typeof policy !== 'string' ||
        policy.includes("'nonce-")
      )
        return release();
      const headers: Record<string, string> = {};
      for (const name of KEPT_HEADERS) {
        const value = res.getHeader(name);
        if (value !== undefined)
          headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      this.store(key, started, res.statusCode, headers, Buffer.concat(body)).then(release, release);
    });
    next();
  };

  /**
   * Mounted after compression, so it sees what the page writes before it is compressed: a copy
   * goes to `res.locals.pageCacheBody`, stored by serve() once the response is complete.
   */
  readonly keep = (_req: Request, res: Response, next: NextFunction): void => {
    if (res.locals.pageCacheKey !== undefined) this.capture(res);
    next();
  };

  private send(req: Request, res: Response, page: CachedPage): void {
    const accepted = req.acceptsEncodings('br', 'gzip', 'identity');
    const body = accepted === 'br' ? page.br : accepted === 'gzip' ? page.gzip : page.body;
    res.removeHeader('X-Frame-Options');
    res.status(page.status);
    for (const [name, value] of Object.entries(page.headers)) res.setHeader(name, value);
    res.vary('Accept-Encoding');
    if (accepted === 'br' || accepted === 'gzip') res.setHeader('Content-Encoding', accepted);
    res.setHeader('Content-Length', body.length);
    res.end(body);
  }

  private capture(res: Response): void {
    const chunks: Buffer[] = [];
    res.locals.pageCacheBody = chunks;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk)
            : Buffer.from(
                String(chunk),
                typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
              ),
      );
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as Response['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return end(chunk, ...rest);
    }) as Response['end'];
  }

  private async store(
    key: string,
    started: number,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    const [br, gz] = await Promise.all([
      brotli(body, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gzipAsync(body, { level: 9 }),
    ]);
    if (started !== this.generation) return;
    this.pages.delete(key);
    if (this.pages.size >= this.maxEntries) {
      const oldest = this.pages.keys().next();
      if (!oldest.done) this.pages.delete(oldest.value);
    }
    this.pages.set(key, {
      status,
      headers,
      body,
      br,
      gzip: gz,
      expires: this.now() + this.options.ttlMs,
    });
  }
}

const caches = new Set<PageCache>();

/** Every PageCache of this process forgets its pages after a successful write to the API. */
export function registerPageCache(cache: PageCache): void {
  caches.add(cache);
}

/** Express middleware (app.ts): a 2xx/3xx answer to a write clears the kept pages. */
export function forgetPagesOnWrites(req: Request, res: Response, next: NextFunction): void {
  if (caches.size > 0 && req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS')
    res.once('finish', () => {
      if (res.statusCode < 400) for (const cache of caches) cache.forget();
    });
  next();
}
