import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

interface HeaderSet {
  set: Map<string, string>;
  removed: string[];
}

/** What helmet decides for these options; with no per-request nonces it is the same every time. */
function decidedBy(options: HelmetOptions): HeaderSet {
  const set = new Map<string, string>();
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => set.set(name, value),
    removeHeader: (name: string) => removed.push(name),
    getHeader: () => undefined,
  };
  let isDone = false;
  helmet(options)({ headers: {} } as Request, recorder as unknown as Response, () => {
    isDone = true;
  });
  if (!isDone) throw new Error('helmet did not answer synchronously; its headers cannot be fixed');
  return { set, removed };
}

/**
 * JSON answers get the headers OWASP's REST Security Cheat Sheet lists for APIs: no caching,
 * no framing, no sniffing, a CSP that allows nothing, HSTS.
 * https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers
 */
const API: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** HTML pages (Swagger UI, the queue dashboard) get helmet's browser defaults. */
const PAGES: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      // Swagger UI loads its own scripts and inline styles.
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'", 'https:'],
    },
  },
};

const PAGE_PATHS = ['/docs', '/admin/'];

/** The headers every JSON answer carries (helmet sets none to remove on a fresh response). */
export const API_SECURITY_HEADERS: HeaderSet = (() => {
  const api = decidedBy(API);
  api.set.set('Cache-Control', 'no-store');
  return api;
})();

/**
 * Security headers chosen by helmet once at start-up and set on every response in one call:
 * running helmet's dozen middlewares per request cost CPU, and browser-page headers on every
 * JSON answer cost the clients who parse them (a drop burst's load generator spent more time
 * reading headers than the API spent answering).
 */
export function securityHeaders() {
  const api = API_SECURITY_HEADERS;
  const pages = decidedBy(PAGES);
  return (req: Request, res: Response, next: NextFunction): void => {
    const chosen = PAGE_PATHS.some((prefix) => req.path.startsWith(prefix)) ? pages : api;
    res.setHeaders(chosen.set);
    for (const name of chosen.removed) res.removeHeader(name);
    next();
  };
}
