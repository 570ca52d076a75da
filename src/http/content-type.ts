import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

/** A body that is not JSON is refused up front, not silently ignored. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  if (
    req.method !== 'GET' &&
    req.method !== 'HEAD' &&
    hasBody(req) &&
    !req.is('application/json')
  ) {
    next(
      new AppError(
        415,
        'invalid_request',
        'unsupported_media_type',
        'Send the body as application/json.',
      ),
    );
    return;
  }
  next();
}
