import request from 'supertest';
import { accountsRows } from './authorization-matrix/rows/accounts';
import { campaignsRows } from './authorization-matrix/rows/campaigns';
import { commerceRows } from './authorization-matrix/rows/commerce';
import { communityRows } from './authorization-matrix/rows/community';
import { operationsRows } from './authorization-matrix/rows/operations';
import {
  ERROR_TYPES,
  OPS_ROUTES,
  PERSONAS,
  routeKey,
  type Row,
} from './authorization-matrix/table';
import { api, server, setUpWorld, tearDownWorld, users } from './authorization-matrix/world';

/**
 * Every endpoint of the app x every kind of caller, each cell its own test. The table is checked
 * against the routes the app documents (/openapi.json), so a route added without a row fails here.
 * Its rows are in authorization-matrix/rows/, by area; their vocabulary (personas, expectations)
 * in authorization-matrix/table.ts; the accounts and resources they use in world.ts, bodies.ts
 * and row-resources.ts there.
 */

// The table. Ownership: member owns a listing, an order (buying brand's listing), notes and a
// conversion; brand owns a listing, drops, a coupon batch, a points offer and an airdrop job;
// finance requested the export. Every signed-in account is a member (staff and brands too).

const ROWS: Row[] = [
  ...accountsRows,
  ...commerceRows,
  ...campaignsRows,
  ...communityRows,
  ...operationsRows,
];

beforeAll(setUpWorld, 30_000);

afterAll(tearDownWorld);

describe('the table covers every route', () => {
  test('every route in /openapi.json has a row, and every /v1 row is a documented route', async () => {
    const doc = await api().get('/openapi.json');
    expect(doc.status).toBe(200);
    const documented = Object.entries(doc.body.paths as Record<string, object>).flatMap(
      ([route, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`),
    );
    const tabled = new Set(ROWS.map(routeKey));
    expect(documented.filter((route) => !tabled.has(route))).toEqual([]);
    const apiRows = [...tabled].filter((route) => !OPS_ROUTES.includes(route));
    expect(apiRows.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.length).toBeGreaterThan(40);
  });

  test('every operations route of API.md has a row', () => {
    const tabled = new Set(ROWS.map(routeKey));
    expect(OPS_ROUTES.filter((route) => !tabled.has(route))).toEqual([]);
  });
});

const CELLS = ROWS.flatMap((row) =>
  PERSONAS.map((persona) => ({
    name: `${routeKey(row)}${row.variant ? ` (${row.variant})` : ''} as ${persona} -> ${row.expected[persona]}`,
    row,
    persona,
    status: row.expected[persona],
  })),
);

describe('authorization matrix', () => {
  test.each(CELLS)('$name', async ({ row, persona, status }) => {
    const target = await row.target(persona);
    const agent = request(target.app ?? server);
    let req = {
      GET: () => agent.get(target.url),
      POST: () => agent.post(target.url),
      PUT: () => agent.put(target.url),
      PATCH: () => agent.patch(target.url),
      DELETE: () => agent.delete(target.url),
    }[row.method]();
    if (persona !== 'anonymous') req = req.set(users[persona].auth);
    if (target.headers) req = req.set(target.headers);
    const res = target.body === undefined ? await req : await req.send(target.body as object);

    if (res.status !== status)
      throw new Error(`answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
    if (res.status >= 400) {
      expect(res.body).toEqual({
        error: expect.objectContaining({
          type: ERROR_TYPES[res.status] ?? expect.any(String),
          code: expect.any(String),
          message: expect.any(String),
        }),
      });
      // A row must name a route that exists.
      expect(res.body.error.code).not.toBe('route_not_found');
    }
  });
});
