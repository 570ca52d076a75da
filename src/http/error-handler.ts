import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';
import { AppError, errorBody } from './app-error';
import { isLockConflict } from '../db/retry';
import { isBackingServiceDown } from './unavailable';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** body-parser's failures, as API.md errors. */
function fromBodyParser(error: BodyParserError): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return AppError.invalid('malformed_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError(
        413,
        'invalid_request',
        'body_too_large',
        'The request body is over the size limit.',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        415,
        'invalid_request',
        'unsupported_encoding',
        'Unsupported body encoding or charset.',
      );
    case 'request.aborted':
      return AppError.invalid('request_aborted', 'The request was aborted.');
    default:
      return undefined;
  }
}

/**
 * Client errors Express raises without a body-parser `type`: a path parameter that is not valid
 * percent-encoding (the router's URIError, status 400) and a compressed body that does not
 * inflate (an http-errors 400 with `expose`). Matched narrowly, so a 4xx from an upstream API
 * (Stripe's errors carry a statusCode) still counts as our failure.
 */
function fromExpress(error: Error): AppError | undefined {
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (error instanceof URIError && status === 400)
    return AppError.invalid('malformed_url', 'The URL is not valid percent-encoding.');
  if (expose === true && status === 400)
    return AppError.invalid('malformed_body', 'The request body could not be decoded.');
  return undefined;
}

export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof Error && 'type' in error) {
    const mapped = fromBodyParser(error as BodyParserError);
    if (mapped) return mapped;
  }
  if (error instanceof Error) {
    const mapped = fromExpress(error);
    if (mapped) return mapped;
  }
  if (isBackingServiceDown(error)) return AppError.unavailable();
  // A transaction still losing lock races after its retries: transient, so say when to retry.
  if (isLockConflict(error))
    return new AppError(
      503,
      'unavailable',
      'busy',
      'Too many concurrent changes to the same records; retry shortly.',
      undefined,
      { 'Retry-After': '1' },
    );
  return undefined;
}

/** The one place errors become answers: API.md's shape, never a stack trace; faults are logged. */
export function answerFor(error: unknown, requestId: string, logger: Logger): AppError {
  const known = toAppError(error);
  const appError =
    known ??
    new AppError(
      500,
      'internal',
      'internal_error',
      `Something went wrong on our side (request ${requestId}).`,
    );
  if (!known) logger.error({ err: error, requestId }, 'unhandled error');
  else if (appError.status >= 500) logger.warn({ err: error, requestId }, appError.message);
  return appError;
}

export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appError = answerFor(error, req.requestId, logger);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.set(appError.headers).status(appError.status).json(errorBody(appError));
  };
}

export function notFoundHandler(req: Request, _res: Response, next: NextFunction): void {
  next(
    new AppError(404, 'not_found', 'route_not_found', `No route for ${req.method} ${req.path}.`),
  );
}
