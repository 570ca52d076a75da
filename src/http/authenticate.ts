import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';
import type { AuthContext } from './auth-context';

export type TokenResolver = (token: string) => Promise<AuthContext | null>;

/**
 * `Authorization: Bearer <token>`, resolved. No header: anonymous (routes decide whether that
 * is enough). A header that does not resolve: 401, never anonymous.
 */
export async function authorizationOf(
  header: string | undefined,
  resolve: TokenResolver,
): Promise<AuthContext | undefined> {
  if (header === undefined) return undefined;
  // The scheme name is case-insensitive (RFC 9110 §11.1): `bearer x` is `Bearer x`.
  const match = /^Bearer +([A-Za-z0-9_-]{20,200})$/i.exec(header.trim());
  if (!match?.[1])
    throw AppError.unauthenticated('Malformed Authorization header; use Bearer <token>.');
  const auth = await resolve(match[1]);
  if (!auth) throw AppError.unauthenticated('The token is invalid or has expired.');
  return auth;
}

/** Resolves the caller once per request, into `req.auth`. */
export function authenticate(resolve: TokenResolver) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    try {
      req.auth = await authorizationOf(req.get('authorization'), resolve);
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The raw bearer token of a request that `authenticate` let through as signed in. */
export function bearerToken(req: Request): string {
  const token = /^Bearer +(\S+)$/i.exec(req.get('authorization')?.trim() ?? '')?.[1];
  if (!token) throw AppError.unauthenticated();
  return token;
}
