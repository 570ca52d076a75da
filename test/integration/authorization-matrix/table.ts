import type { App } from '../../../src/http/front-door';

/**
 * The matrix's vocabulary: the personas, what each should get, and the rows that say it for an
 * endpoint. Every endpoint of the app x every kind of caller, each cell its own test; the table
 * is checked against the routes the app documents (/openapi.json).
 */

export const PERSONAS = [
  'anonymous',
  'member',
  'other member',
  'brand',
  'other brand',
  'moderator',
  'finance',
  'admin',
] as const;
export type Persona = (typeof PERSONAS)[number];
export type SignedIn = Exclude<Persona, 'anonymous'>;
export type Expected = Record<Persona, number>;
export const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  409: 'conflict',
};

/** The routes outside /v1 that API.md names (Operations); they are not in /openapi.json. */
export const OPS_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /docs',
  'GET /admin/queues',
];

// Expectation builders: who gets what, everyone else the given denial.
export const everyone = (status: number): Expected =>
  Object.fromEntries(PERSONAS.map((p) => [p, status])) as Expected;
export const signedIn = (status: number): Expected => ({ ...everyone(status), anonymous: 401 });
export function only(allowed: Partial<Record<SignedIn, number>>, denied = 403): Expected {
  return { ...everyone(denied), anonymous: 401, ...allowed };
}
export const brandsOnly = (brand: number, otherBrand: number) =>
  only({ brand, 'other brand': otherBrand });

export interface Target {
  url: string;
  body?: unknown;
  /** Absent keys as `undefined` too: a row's headers are often `{}` for one persona. */
  headers?: Record<string, string | undefined>;
  app?: App;
}

export interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path, as /openapi.json names it. */
  path: string;
  /** Tells apart two rows of one route (e.g. a published note and one under review). */
  variant?: string;
  expected: Expected;
  target: (as: Persona) => Target | Promise<Target>;
}

export const routeKey = (row: Pick<Row, 'method' | 'path'>) => `${row.method} ${row.path}`;
