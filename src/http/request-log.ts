import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

const QUIET = new Set(['/healthz', '/metrics', '/readyz']);

/**
 * One line per request, with its id, when it ends. Nothing is built when the level is off:
 * pino-http's per-request child logger cost measurable CPU on the drop burst, where a
 * request's whole budget is tens of microseconds.
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (QUIET.has(req.path) || !logger.isLevelEnabled('info')) return next();
    logWhenFinished(logger, req.requestId, req.method, req.originalUrl, res);
    next();
  };
}

/** The request's line, written when its response has gone. */
export function logWhenFinished(
  logger: Logger,
  requestId: string,
  method: string | undefined,
  url: string | undefined,
  res: ServerResponse,
): void {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const entry = {
      requestId,
      method,
      url,
      status: res.statusCode,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    };
    if (res.statusCode >= 500) logger.error(entry, 'request failed');
    else logger.info(entry, 'request completed');
  });
}
