import request from 'supertest';
import { lintOpenApi } from '../../../scripts/lint-openapi';
import { useTestApp } from '../../support/test-app';

interface Operation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
}

const ctx = useTestApp();
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
let operations: Array<{ key: string; operation: Operation }>;

beforeAll(async () => {
  doc = (await request(ctx.app).get('/openapi.json')).body;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
});

describe('/openapi.json, for generated clients', () => {
  test('every operation has an operationId, camelCase (routes name it in their RouteSpec)', () => {
    expect(operations.length).toBeGreaterThan(50);
    const unnamed = operations.filter(({ operation }) => !operation.operationId);
    expect(unnamed.map(({ key }) => key)).toEqual([]);
    const malformed = operations.filter(
      ({ operation }) => !/^[a-z][A-Za-z0-9]*$/.test(operation.operationId ?? ''),
    );
    expect(malformed.map(({ key, operation }) => `${key}: ${operation.operationId}`)).toEqual([]);
  });

  test('no two operations share an operationId', () => {
    const seen = new Map<string, string[]>();
    for (const { key, operation } of operations)
      seen.set(operation.operationId!, [...(seen.get(operation.operationId!) ?? []), key]);
    const shared = [...seen].filter(([, keys]) => keys.length > 1);
    expect(shared).toEqual([]);
  });

  test('published names stay what they are', () => {
    const idOf = (key: string) => operations.find((o) => o.key === key)?.operation.operationId;
    expect(idOf('GET /v1/listings')).toBe('listListings');
    expect(idOf('POST /v1/orders')).toBe('createOrder');
    expect(idOf('GET /v1/campaigns/drops/{id}/stats')).toBe('getDropStats');
    expect(idOf('POST /v1/campaigns/drops/{id}/attempts')).toBe('createDropAttempt');
  });

  test('every POST declares the optional Idempotency-Key header; other methods do not', () => {
    for (const { key, operation } of operations) {
      const header = operation.parameters?.find(
        (p) => p.in === 'header' && p.name === 'Idempotency-Key',
      );
      if (key.startsWith('POST '))
        expect({ key, required: header?.required }).toEqual({ key, required: false });
      else expect({ key, header }).toEqual({ key, header: undefined });
    }
  });

  test('the error schema declares details', () => {
    const error = doc.components.schemas.Error?.properties?.error as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(error.properties)).toEqual(
      expect.arrayContaining(['type', 'code', 'message', 'param', 'details']),
    );
    expect(doc.components.schemas.FieldProblem?.properties).toEqual(
      expect.objectContaining({ param: expect.anything(), code: expect.anything() }),
    );
  });

  test("Redocly's linter finds no error in it", () => {
    const { status, report } = lintOpenApi(doc, 'pipe');
    expect({ status, report: status === 0 ? '' : report }).toEqual({ status: 0, report: '' });
  }, 60_000);
});
