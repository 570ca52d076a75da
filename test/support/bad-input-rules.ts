import querystring from 'node:querystring';
import { gunzipSync } from 'node:zlib';
import type { WireRequest } from './bad-requests';
import { declaredNames, type Endpoint } from './openapi-endpoints';
import type { WireResponse } from './raw-http';

/*
 * The rules every error answer keeps (API.md), checked by the bad-input property tests
 * (test/integration/bad-input*.property.test.ts).
 */

/** API.md's status -> error type table. */
export const TYPES_BY_STATUS: Record<number, string[]> = {
  400: ['invalid_request'],
  401: ['authentication'],
  403: ['permission'],
  404: ['not_found'],
  409: ['conflict', 'idempotency'],
  413: ['invalid_request'],
  415: ['invalid_request'],
  429: ['rate_limited'],
};

/** 400s about the request as a whole, not one of its fields. */
const REQUEST_LEVEL_CODES = new Set([
  'malformed_json',
  'malformed_body',
  'malformed_url',
  'request_aborted',
  'idempotency_key_invalid',
]);

function parsedBody(wire: WireRequest): unknown {
  if (wire.body === undefined) return undefined;
  try {
    const raw =
      wire.headers['Content-Encoding'] === 'gzip' && Buffer.isBuffer(wire.body)
        ? gunzipSync(wire.body)
        : wire.body;
    return JSON.parse(raw.toString());
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** `param` (`shippingAddress.country`, `items.0.quantity`) is a field of `value`, or one missing from it the schema declares. */
function namesField(value: unknown, param: string, declared: Set<string>): boolean {
  if (!param.includes('.') && declared.has(param)) return true;
  if (!isObject(value)) return false;
  return Object.keys(value).some(
    (key) =>
      key === param ||
      (param.startsWith(`${key}.`) &&
        namesField(value[key], param.slice(key.length + 1), declared)),
  );
}

function queryKeys(wire: WireRequest): string[] {
  const query = wire.url.includes('?') ? wire.url.slice(wire.url.indexOf('?') + 1) : '';
  return Object.keys(querystring.parse(query));
}

/**
 * `details` (v1.1), when present: a non-empty list of `{param?, code, message}`, each message a
 * sentence (not a validator's `Invalid input: ...`), and `param` the first entry's.
 */
function detailsProblems(error: Record<string, unknown>): string[] {
  const { details } = error;
  if (details === undefined) return [];
  if (!Array.isArray(details) || details.length === 0) return ['details is not a non-empty list'];
  const problems: string[] = [];
  for (const detail of details) {
    if (!isObject(detail)) {
      problems.push('a detail is not an object');
      continue;
    }
    const keys = Object.keys(detail).filter((k) => !['param', 'code', 'message'].includes(k));
    if (keys.length > 0) problems.push(`unexpected detail keys ${keys.join(', ')}`);
    if (typeof detail.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(detail.code))
      problems.push(`detail code ${JSON.stringify(detail.code)} is not a machine string`);
    if (typeof detail.message !== 'string' || detail.message.trim() === '')
      problems.push('a detail has an empty message');
    else if (
      /^(Invalid input|Invalid option|Too (small|big)|Unrecognized key)/.test(detail.message)
    )
      problems.push(`detail message ${JSON.stringify(detail.message)} is the validator's wording`);
  }
  const [first] = details as unknown[];
  if (isObject(first) && first.param !== error.param)
    problems.push(`param ${JSON.stringify(error.param)} is not the first detail's`);
  return problems;
}

/**
 * What is wrong with one answer, by API.md: nothing, or a list of broken rules. `endpoints`: all
 * of the API's, for the fields another method on the same path declares.
 */
export function answerProblems(
  endpoints: Endpoint[],
  endpoint: Endpoint,
  wire: WireRequest,
  res: WireResponse,
): string[] {
  if (res.status === 0) return [`no complete answer (${res.networkError})`];
  if (res.status >= 500) return [`answered ${res.status}`];
  if (res.status < 400) return [];
  const problems: string[] = [];
  const types = TYPES_BY_STATUS[res.status];
  if (!types) problems.push(`status ${res.status} is not in API.md's error table`);
  const error = isObject(res.json) ? res.json.error : undefined;
  if (!isObject(error) || Object.keys(res.json as object).length !== 1)
    return [...problems, `not the error shape {"error":{type,code,message}}`];
  const extra = Object.keys(error).filter(
    (k) => !['type', 'code', 'message', 'param', 'details'].includes(k),
  );
  if (extra.length > 0) problems.push(`unexpected error keys ${extra.join(', ')}`);
  problems.push(...detailsProblems(error));
  if (types && !types.includes(error.type as string))
    problems.push(`type ${JSON.stringify(error.type)} for status ${res.status}`);
  if (typeof error.code !== 'string' || !/^[a-z][a-z0-9_]*$/.test(error.code))
    problems.push(`code ${JSON.stringify(error.code)} is not a machine string`);
  if (typeof error.message !== 'string' || error.message.trim() === '')
    problems.push('empty message');
  if (res.status === 429 && !res.headers['retry-after']) problems.push('429 without Retry-After');
  if (res.status !== 400) return problems;

  const body = parsedBody(wire);
  // The schema of what was hit: another method on the same path has a body of its own.
  const declared = new Set(
    endpoints
      .filter((e) => e.template === endpoint.template)
      .flatMap((e) => [...declaredNames(e.body)]),
  );
  const param = error.param;
  const names = (name: unknown) =>
    typeof name === 'string' &&
    (Object.keys(wire.headers).some((h) => h.toLowerCase() === name.toLowerCase()) ||
      queryKeys(wire).includes(name) ||
      endpoint.queryParams.some((p) => p.name === name) ||
      namesField(body, name, declared));
  const detailParams = Array.isArray(error.details)
    ? error.details.filter(isObject).map((d) => d.param)
    : [];
  for (const name of detailParams)
    if (name !== undefined && !names(name))
      problems.push(`details param ${JSON.stringify(name)} names nothing in the request`);
  if (param !== undefined) {
    if (!names(param)) problems.push(`param ${JSON.stringify(param)} names nothing in the request`);
  } else if (
    wire.focus === 'body' &&
    endpoint.body &&
    isObject(body) &&
    !Array.isArray(body) &&
    !REQUEST_LEVEL_CODES.has(error.code as string)
  ) {
    problems.push(`a 400 (${String(error.code)}) for a body field without param`);
  }
  return problems;
}
