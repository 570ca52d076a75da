/**
 * URLs as request logs write them: a coupon code, a reservation or reset token is a bearer
 * secret (whoever reads it can spend it), so it never reaches a log line, in the path or the
 * query.
 */

const CENSOR = '[redacted]';

/** Path parameters that carry a secret, by name, in any route (`/v1/coupons/:code/preview`). */
const SECRET_PARAM = /^:(code|token|secret)$/i;

/** Query parameters that carry a secret, by name: `token`, `reservationToken`, `couponCode`... */
const SECRET_QUERY = /(token|code|secret|password|signature)$/i;

/** A route prefix and which of its segments hold a secret, e.g. `/v1/coupons/` and [3]. */
interface SecretPath {
  prefix: string;
  segments: number[];
}

/**
 * Routes register here as they are added (ApiRoutes.add), so a route added later with a
 * `:code` or `:token` in its path is redacted with no change to the log. The prefix up to the
 * first secret is what is matched: a mistyped tail (`/v1/coupons/<code>/previw`, a 404) still
 * hides the code.
 */
const secretPaths = new Map<string, SecretPath>();

export function registerRoutePath(path: string): void {
  const parts = path.split('/');
  const segments = parts.flatMap((part, i) => (SECRET_PARAM.test(part) ? [i] : []));
  const first = segments[0];
  if (first === undefined) return;
  // Express matches routes case-insensitively, so the prefix is compared in lower case.
  const prefix = `${parts.slice(0, first).join('/')}/`.toLowerCase();
  const known = secretPaths.get(prefix);
  const all = new Set([...(known?.segments ?? []), ...segments]);
  secretPaths.set(prefix, { prefix, segments: [...all].sort((a, b) => a - b) });
}

function redactPath(path: string): string {
  const lower = path.toLowerCase();
  for (const { prefix, segments } of secretPaths.values()) {
    if (!lower.startsWith(prefix)) continue;
    const parts = path.split('/');
    for (const i of segments) if (parts[i] !== undefined && parts[i] !== '') parts[i] = CENSOR;
    path = parts.join('/');
  }
  return path;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Not valid percent-encoding: judged by its raw name.
      }
      return eq !== -1 && SECRET_QUERY.test(name) ? `${rawName}=${CENSOR}` : pair;
    })
    .join('&');
}

/** The URL to log for a request URL (path and query as received). */
export function loggedUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const redacted = redactPath(path);
  return mark === -1 ? redacted : `${redacted}?${redactQuery(url.slice(mark + 1))}`;
}
