import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { PageCache, registerPageCache } from './page-cache';
import { precompressedAssets } from './precompressed';

/** The server build of web/ (react-router build), relative to where the service is started. */
export const WEB_BUILD_DIR = resolve('web/build');

export interface WebAppOptions {
  buildDir?: string;
  /** PUBLIC_URL: https makes the session cookie Secure; links in Open Graph tags use it. */
  publicUrl?: string;
  /**
   * Where the API's own image URLs point (it writes them absolute, from PUBLIC_URL or
   * http://localhost:PORT): pages may show images from there even when visited by another name.
   */
  imageOrigins?: string[];
  /** How long signed-out visitors' listing and stall pages are kept (0: never). */
  pageCacheSeconds?: number;
  /** PAYMENTS_PROVIDER, and the publishable key Stripe's Payment Element runs with. */
  paymentsProvider?: 'manual' | 'stripe';
  stripePublishableKey?: string;
}

/** What web/app/entry.server.tsx exports besides its default, read from the built module. */
interface WebServerBuild {
  entry: { module: { createLoadContext: (value: WebLoadContext) => unknown } };
}

interface WebLoadContext {
  apiOrigin: string;
  clientIp: string | undefined;
  secureCookies: boolean;
  publicUrl: string | undefined;
  nonce: string | undefined;
  securityPolicy: (scriptSources: readonly string[], options: { stripe: boolean }) => string;
  payments: { provider: 'manual' | 'stripe'; stripePublishableKey: string | null };
}

/**
 * Pages run inline scripts (React Router's hydration data) only with this response's nonce, or,
 * for a page kept in the PageCache, only those whose SHA-256 it lists; everything else comes
 * from this origin. Stripe's script, frames and API are allowed only on a page that shows its
 * Payment Element (entry.server asks for them).
 */
function contentSecurityPolicy(
  scriptSources: readonly string[],
  imageOrigins: readonly string[],
  stripe: boolean,
): string {
  const stripeScripts = stripe ? ' https://js.stripe.com https://*.js.stripe.com' : '';
  return [
    "default-src 'self'",
    `script-src 'self' ${scriptSources.join(' ')}${stripeScripts}`,
    "style-src 'self'",
    `img-src 'self' data: blob: https: ${imageOrigins.join(' ')}`.trim(),
    `connect-src 'self'${stripe ? ' https://api.stripe.com' : ''}`,
    stripe
      ? 'frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com'
      : "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const PAGE_HEADERS = {
  // Pages carry who is signed in: never shared caches, always revalidated.
  'Cache-Control': 'private, no-cache',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/**
 * React Router's stream writer calls `res.flush()` after every chunk React writes (dozens of
 * small ones per page), and compression's flush makes zlib/brotli end a block each time, which
 * costs far more than compressing the page. Flushing once per turn of the event
 * loop still sends each streamed part as soon as it is written, in one block.
 */
function coalescedFlush(_req: Request, res: Response, next: NextFunction): void {
  const flush = (res as Response & { flush?: () => void }).flush;
  if (typeof flush === 'function') {
    let pending = false;
    (res as Response & { flush: () => void }).flush = () => {
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        if (!res.writableEnded) flush.call(res);
      });
    };
  }
  next();
}

/**
 * The web app (web/, React Router rendered on the server) as one Express handler, or undefined
 * when web/ has not been built (the jest suites build apps without it). createApp hands it only
 * the paths the API does not own, so an unknown /v1 route still gets the API's JSON 404.
 */
export async function loadWebApp(options: WebAppOptions = {}): Promise<RequestHandler | undefined> {
  const buildDir = options.buildDir ?? WEB_BUILD_DIR;
  const serverEntry = join(buildDir, 'server', 'index.js');
  if (!existsSync(serverEntry)) return undefined;
  const secureCookies = options.publicUrl?.startsWith('https:') ?? false;
  const imageOrigins = (options.imageOrigins ?? []).filter((origin) =>
    /^https?:\/\/[^\s;]+$/.test(origin),
  );

  const payments = {
    provider: options.paymentsProvider ?? 'manual',
    stripePublishableKey: options.stripePublishableKey ?? null,
  };
  const cache = new PageCache({ ttlMs: (options.pageCacheSeconds ?? 0) * 1000 });
  registerPageCache(cache);

  // The server build and React Router's adapter (React's server renderer among them: ~5 MB of
  // V8 heap, ~7 MB RSS) are loaded by the first page asked for, not at start: an API process
  // that is never asked for a page never holds them.
  const loadPages = async (): Promise<RequestHandler> => {
    // Both are ES modules only. An absolute path (not a file: URL) works for import() under tsx
    // and for the require() that tsc's CommonJS output turns it into (Node 24 requires ES modules).
    const build = (await import(serverEntry)) as WebServerBuild;
    const { createRequestHandler } = await import('@react-router/express');
    return createRequestHandler({
      build: build as unknown as Parameters<typeof createRequestHandler>[0]['build'],
      mode: 'production',
      getLoadContext: (req, res) =>
        build.entry.module.createLoadContext({
          // Loaders call this same process's API over loopback, whatever port it listens on.
          apiOrigin: `http://127.0.0.1:${req.socket.localPort}`,
          clientIp: req.ip,
          secureCookies,
          publicUrl: options.publicUrl,
          // A page rendered for the cache gets no nonce: its inline scripts are hashed instead.
          nonce:
            res.locals.pageCacheKey === undefined ? (res.locals.cspNonce as string) : undefined,
          securityPolicy: (scriptSources, { stripe }) =>
            contentSecurityPolicy(scriptSources, imageOrigins, stripe),
          payments,
        }) as ReturnType<NonNullable<Parameters<typeof createRequestHandler>[0]['getLoadContext']>>,
    });
  };
  let pages: Promise<RequestHandler> | undefined;

  const router = express.Router();
  router.use((_req: Request, res: Response, next: NextFunction) => {
    // The API's `no-store` is for JSON; assets and pages say their own below.
    res.removeHeader('Cache-Control');
    next();
  });
  // Kept pages are answered before compression: they are stored compressed.
  router.use(cache.serve);
  // Pages are compressed as they stream; level 3 (gzip) / quality 4 (brotli) cost a fraction of
  // the defaults' CPU for a few percent more bytes. Assets come precompressed at build time.
  router.use(
    compression({
      level: 3,
      brotli: {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 4,
          [zlibConstants.BROTLI_PARAM_LGWIN]: 17,
        },
      },
    }),
    coalescedFlush,
    cache.keep,
  );
  // Vite names every asset by its content hash: they never change, so browsers keep them a year.
  const assets = join(buildDir, 'client', 'assets');
  router.use(
    '/assets',
    precompressedAssets(assets),
    express.static(assets, {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
  );
  // The notes composer's service worker: its own CSP governs what it may fetch (the API's
  // `default-src 'none'` would fail every request it makes), and browsers must see updates soon.
  router.get('/sw.js', (_req: Request, res: Response, next: NextFunction) => {
    res.sendFile(
      join(buildDir, 'client', 'sw.js'),
      {
        cacheControl: false,
        headers: {
          'Content-Security-Policy': "default-src 'self'",
          'Cache-Control': 'no-cache',
          'Content-Type': 'text/javascript; charset=utf-8',
        },
      },
      (error?: Error) => {
        if (error) next();
      },
    );
  });
  router.use(express.static(join(buildDir, 'client'), { maxAge: '1h', index: false }));
  router.use((_req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    res.removeHeader('X-Frame-Options');
    // Every page depends on the language asked for and on who is signed in (cookie).
    res.vary('Accept-Language');
    res.vary('Cookie');
    res.setHeaders(new Map(Object.entries(PAGE_HEADERS)));
    res.setHeader(
      'Content-Security-Policy',
      contentSecurityPolicy([`'nonce-${nonce}'`], imageOrigins, false),
    );
    // A page's own policy (entry.server: hashes, or Stripe allowed) replaces this one rather
    // than being added to it (two policies would both have to allow everything).
    const append = res.append.bind(res);
    res.append = (field: string, value?: string[] | string) =>
      field.toLowerCase() === 'content-security-policy' && value !== undefined
        ? res.setHeader(field, value)
        : append(field, value);
    next();
  });
  router.use((req: Request, res: Response, next: NextFunction) => {
    // Pages asked for while the build loads share that one load; a load that failed is
    // forgotten, so the next page tries again instead of every page answering 500 until restart.
    pages ??= loadPages().catch((error: unknown) => {
      pages = undefined;
      throw error;
    });
    pages.then((render) => void render(req, res, next), next);
  });
  return router;
}
