import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { loggedUrl } from './log-redaction';

const QUIET = new Set(['/healthz', '/metrics', '/readyz']);

/** What a request's line says about it once it has been answered. */
export interface RequestLine {
  requestId: string;
  method: string | undefined;
  /** As received; written with its secrets (coupon codes, tokens) redacted. */
  url: string | undefined;
  /** The signed-in caller, known only once the token has been resolved. */
  userId: () => string | undefined;
}

/**
 * One line per request, with its id and caller, when it ends. Nothing is built when the level
 * is off: pino-http's per-request child logger cost measurable CPU on the drop burst, where a
 * request's whole budget is tens of microseconds.
 */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (QUIET.has(req.path) || !logger.isLevelEnabled('info')) return next();
    logWhenFinished(
      logger,
      {
        requestId: req.requestId,
        method: req.method,
        url: req.originalUrl,
        userId: () => req.auth?.userId,
      },
      res,
    );
    next();
  };
}

/** The request's line, written when its response has gone. */
export function logWhenFinished(logger: Logger, line: RequestLine, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const userId = line.userId();
    const entry = {
      requestId: line.requestId,
      method: line.method,
      url: loggedUrl(line.url),
      ...(userId !== undefined ? { userId } : {}),
      status: res.statusCode,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    };
    if (res.statusCode >= 500) logger.error(entry, 'request failed');
    else logger.info(entry, 'request completed');
  });
}
