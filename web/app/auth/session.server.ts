import { createCookie, redirect, type Cookie } from 'react-router';
import type { ServerContext } from '../context';

const THIRTY_DAYS = 30 * 24 * 3600;

/**
 * The API token lives only in an HttpOnly cookie: scripts in the page (an injected one
 * included) never see it; loaders and actions read it on the server and call the API with
 * `Authorization: Bearer`. SameSite=Lax keeps other sites' forms from posting with it, and
 * every page action also checks the Origin (see requireSameOrigin).
 */
function tokenCookie(secure: boolean): Cookie {
  return createCookie('cs_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: THIRTY_DAYS,
  });
}

export async function readToken(request: Request, context: ServerContext): Promise<string | null> {
  const value: unknown = await tokenCookie(context.secureCookies).parse(
    request.headers.get('Cookie'),
  );
  return typeof value === 'string' && value !== '' ? value : null;
}

export function saveToken(token: string, context: ServerContext): Promise<string> {
  return tokenCookie(context.secureCookies).serialize(token);
}

export function clearToken(context: ServerContext): Promise<string> {
  return tokenCookie(context.secureCookies).serialize('', { maxAge: 0 });
}

/** A form posted from another origin is refused before anything is done with the cookie. */
export function requireSameOrigin(request: Request): void {
  const origin = request.headers.get('Origin');
  if (origin === null) return;
  const host = request.headers.get('Host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  if (originHost !== host) throw new Response('Cross-origin form refused', { status: 403 });
}

/** Pages that need an account send visitors to sign in, then back where they were. */
export function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  return redirect(`/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
}
