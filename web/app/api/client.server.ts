import createClient, { type Client } from 'openapi-fetch';
import { data, type RouterContextProvider } from 'react-router';
import { readToken } from '../auth/session.server';
import { serverContext, type ServerContext } from '../context';
import type { components, paths } from './schema';

export type ApiClient = Client<paths>;
export type ApiError = components['schemas']['Error']['error'];

export interface Api {
  client: ApiClient;
  /** The visitor's token from the session cookie, if signed in. */
  token: string | null;
  server: ServerContext;
}

/**
 * Loaders and actions call the API of this same service over loopback HTTP, exactly as any
 * other client would (web/ never imports src/), with the visitor's bearer token, address and
 * language, so per-IP limits, auth and mail language work as for a direct call.
 */
export async function apiFor(
  request: Request,
  context: Readonly<RouterContextProvider>,
): Promise<Api> {
  const server = context.get(serverContext);
  const token = await readToken(request, server);
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (server.clientIp) headers['X-Forwarded-For'] = server.clientIp;
  const language = request.headers.get('Accept-Language');
  if (language) headers['Accept-Language'] = language;
  const client = createClient<paths>({ baseUrl: server.apiOrigin, headers });
  return { client, token, server };
}

/**
 * What a page throws when the API says no: 404 renders the not-found page with status 404; any
 * other failure renders the error page (status 502, the API's message kept for the log).
 */
export function failure(status: number, error: unknown): ReturnType<typeof data> {
  const body = error as { error?: ApiError } | undefined;
  if (status === 404) return data(body?.error ?? null, { status: 404, statusText: 'Not Found' });
  return data(body?.error ?? null, { status: 502, statusText: 'Bad Gateway' });
}
