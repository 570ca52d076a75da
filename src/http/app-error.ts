import type { FieldProblem } from './validation-messages';

export type ErrorType =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'conflict'
  | 'idempotency'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** The one error type services throw; the error middleware turns it into API.md's shape. */
export class AppError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string;
  readonly param?: string;
  readonly headers: Record<string, string>;
  /** Every failing field of a request that failed validation; `param` is the first. */
  readonly details?: FieldProblem[];

  constructor(
    status: number,
    type: ErrorType,
    code: string,
    message: string,
    param?: string,
    headers: Record<string, string> = {},
    details?: FieldProblem[],
  ) {
    // An AppError is an answer, not a fault: its stack is never shown or logged, and capturing
    // one for every `sold_out` of a drop burst cost CPU and garbage.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.headers = headers;
    this.details = details;
  }

  static invalid(
    code: string,
    message: string,
    param?: string,
    details?: FieldProblem[],
  ): AppError {
    return new AppError(400, 'invalid_request', code, message, param, {}, details);
  }

  static unauthenticated(message = 'A valid bearer token is required.'): AppError {
    return new AppError(401, 'authentication', 'unauthenticated', message);
  }

  static forbidden(message = 'You are not allowed to do this.', code = 'forbidden'): AppError {
    return new AppError(403, 'permission', code, message);
  }

  static notFound(what: string): AppError {
    return new AppError(404, 'not_found', 'resource_missing', `No such ${what}.`);
  }

  static conflict(code: string, message: string, param?: string): AppError {
    return new AppError(409, 'conflict', code, message, param);
  }

  static rateLimited(retryAfterSeconds: number): AppError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new AppError(
      429,
      'rate_limited',
      'rate_limited',
      `Too many requests; retry after ${seconds} s.`,
      undefined,
      { 'Retry-After': String(seconds) },
    );
  }

  static unavailable(message = 'A backing service is unavailable; try again shortly.'): AppError {
    return new AppError(503, 'unavailable', 'service_unavailable', message);
  }
}

export interface ErrorBody {
  error: {
    type: ErrorType;
    code: string;
    message: string;
    param?: string;
    details?: FieldProblem[];
  };
}

/**
 * A refused request that names a field always lists its failing fields in `details`, whether
 * the schema or a service refused it, so a client marks form fields from one place.
 */
function detailsOf(error: AppError): FieldProblem[] | undefined {
  if (error.details && error.details.length > 0) return error.details;
  if (error.type !== 'invalid_request' || error.param === undefined) return undefined;
  return [{ param: error.param, code: error.code, message: error.message }];
}

export function errorBody(error: AppError): ErrorBody {
  const details = detailsOf(error);
  // Assigned, not spread: a drop burst answers every sold_out member with one of these.
  const body: ErrorBody['error'] = { type: error.type, code: error.code, message: error.message };
  if (error.param !== undefined) body.param = error.param;
  if (details) body.details = details;
  return { error: body };
}
