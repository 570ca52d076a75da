/** The endpoints of the API as /openapi.json describes them, with their schemas inlined. */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  example?: unknown;
  default?: unknown;
}

export interface ParamSpec {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Endpoint {
  /** `METHOD /path/{param}`, as in the OpenAPI document. */
  key: string;
  method: string;
  template: string;
  pathParams: ParamSpec[];
  queryParams: ParamSpec[];
  body?: JsonSchema;
  secured: boolean;
  /** Operations endpoints, outside /v1 and outside the OpenAPI paths. */
  ops: boolean;
}

/** Health, readiness, metrics, the OpenAPI document itself, Swagger UI and the queue dashboard. */
export const OPS_PATHS = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/openapi.json',
  '/docs/',
  '/admin/queues',
];

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  security?: unknown[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

function inline(value: unknown, components: Record<string, unknown>, seen: string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => inline(item, components, seen));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    const name = ref.split('/').pop() ?? '';
    if (seen.includes(name)) return {};
    return inline(components[name], components, [...seen, name]);
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, inline(item, components, seen)]),
  );
}

export function endpointsFromOpenApi(doc: OpenApiDocument): Endpoint[] {
  const components = doc.components?.schemas ?? {};
  const endpoints: Endpoint[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const params = (operation.parameters ?? []).map((p) => ({
        name: p.name,
        location: p.in,
        required: p.required === true,
        schema: inline(p.schema ?? {}, components, []) as JsonSchema,
      }));
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      endpoints.push({
        key: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.location === 'path'),
        queryParams: params.filter((p) => p.location === 'query'),
        body: bodySchema ? (inline(bodySchema, components, []) as JsonSchema) : undefined,
        secured: (operation.security ?? []).length > 0,
        ops: false,
      });
    }
  }
  for (const path of OPS_PATHS) {
    if (endpoints.some((e) => e.template === path)) continue;
    endpoints.push({
      key: `GET ${path}`,
      method: 'GET',
      template: path,
      pathParams: [],
      queryParams: [],
      secured: path.startsWith('/admin'),
      ops: true,
    });
  }
  return endpoints;
}

/** The first non-null type of a schema (OpenAPI 3.1 writes nullable as `["integer", "null"]`). */
export function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  if (schema.type) return schema.type;
  const variant = (schema.anyOf ?? schema.oneOf)?.find((s) => typeOf(s) !== 'null');
  if (variant) return typeOf(variant);
  if (schema.properties || schema.additionalProperties) return 'object';
  if (schema.enum) return typeof schema.enum[0];
  return undefined;
}

/** `^lst_[0-9a-z]{26}$` -> `lst`. */
export function idPrefixOf(schema: JsonSchema): string | undefined {
  return /^\^([a-z]{2,4})_/.exec(schema.pattern ?? '')?.[1];
}

/** Every property name the schema declares, at any depth. */
export function declaredNames(
  schema: JsonSchema | undefined,
  into = new Set<string>(),
): Set<string> {
  if (!schema) return into;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    into.add(name);
    declaredNames(property, into);
  }
  if (schema.items) declaredNames(schema.items, into);
  if (typeof schema.additionalProperties === 'object')
    declaredNames(schema.additionalProperties, into);
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])])
    declaredNames(variant, into);
  return into;
}
