import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error';

/** What an API request body may be: JSON, in UTF-8, of at most `limitBytes`. */
export interface BodyRules {
  limitBytes: number;
}

const JSON_TYPE = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
}

export const bodyTooLarge = () =>
  new AppError(
    413,
    'invalid_request',
    'body_too_large',
    'The request body is over the size limit.',
  );

const notJson = () =>
  new AppError(
    415,
    'invalid_request',
    'unsupported_media_type',
    'Send the body as application/json.',
  );

/**
 * The refusal a request earns from its headers alone, before any byte of its body is read: a
 * body that is not JSON (415, never silently ignored) or one declared over the limit (413).
 * Both doors apply it: Express through `requireJsonBody`, the hot path in `hot-routes.ts`.
 */
export function bodyRefusal(
  method: string | undefined,
  headers: IncomingHttpHeaders,
  rules: BodyRules,
): AppError | undefined {
  if (method === 'GET' || method === 'HEAD' || !hasBody(headers)) return undefined;
  const type = headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return notJson();
  if (Number(headers['content-length']) > rules.limitBytes) return bodyTooLarge();
  return undefined;
}

/**
 * Whether the hot path can read this body as it is: JSON in UTF-8 (the default), its length
 * declared, neither chunked nor compressed. Anything else is read by Express's body parser,
 * which decodes charsets and compressed bodies.
 */
export function isPlainJsonBody(headers: IncomingHttpHeaders): boolean {
  return (
    JSON_TYPE.test(headers['content-type'] ?? '') &&
    Number.isInteger(Number(headers['content-length'])) &&
    headers['transfer-encoding'] === undefined &&
    headers['content-encoding'] === undefined
  );
}

/** Express's side of `bodyRefusal`. */
export function requireJsonBody(rules: BodyRules) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(bodyRefusal(req.method, req.headers, rules));
  };
}
