import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's X-Request-Id if it is sane, else a new one. */
export function requestIdFor(incoming: string | undefined): string {
  return incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
}

/** Every response carries X-Request-Id. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  req.requestId = requestIdFor(req.get('x-request-id'));
  res.setHeader('X-Request-Id', req.requestId);
  next();
}
