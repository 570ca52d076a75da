import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';
import type { AuthContext } from './auth-context';

export type TokenResolver = (token: string) => Promise<AuthContext | null>;

/**
 * Resolves `Authorization: Bearer <token>` once per request. No header: anonymous (routes
 * decide whether that is enough). A header that does not resolve: 401, never anonymous.
 */
export function authenticate(resolve: TokenResolver) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization');
    if (header === undefined) return next();
    // The scheme name is case-insensitive (RFC 9110 §11.1): `bearer x` is `Bearer x`.
    const match = /^Bearer +([A-Za-z0-9_-]{20,200})$/i.exec(header.trim());
    if (!match?.[1])
      return next(AppError.unauthenticated('Malformed Authorization header; use Bearer <token>.'));
    try {
      const auth = await resolve(match[1]);
      if (!auth) return next(AppError.unauthenticated('The token is invalid or has expired.'));
      req.auth = auth;
      next();
    } catch (error) {
      next(error);
    }
  };
}
