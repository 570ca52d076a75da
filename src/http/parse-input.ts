import { z } from 'zod';
import { AppError } from './app-error';
import {
  ISSUE_DESCRIBERS,
  fieldProblems,
  unknownField,
  type FieldProblem,
  type InputPart,
} from './validation-messages';

/**
 * The top-level keys a schema accepts, or undefined when it accepts any (a `.loose()` object,
 * a record, anything that is not an object schema).
 */
export function declaredKeys(schema: z.ZodType): ReadonlySet<string> | undefined {
  if (schema instanceof z.ZodObject) {
    const catchall = schema.def.catchall;
    if (catchall && !(catchall instanceof z.ZodNever)) return undefined;
    return new Set(Object.keys(schema.shape));
  }
  if (schema instanceof z.ZodPipe) return declaredKeys(schema.def.in as z.ZodType);
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodCatch ||
    schema instanceof z.ZodReadonly
  )
    return declaredKeys(schema.def.innerType as z.ZodType);
  if (schema instanceof z.ZodIntersection) {
    const left = declaredKeys(schema.def.left as z.ZodType);
    const right = declaredKeys(schema.def.right as z.ZodType);
    return left && right ? new Set([...left, ...right]) : undefined;
  }
  if (schema instanceof z.ZodUnion) {
    const keys = new Set<string>();
    for (const option of schema.def.options) {
      const own = declaredKeys(option as z.ZodType);
      if (!own) return undefined;
      for (const key of own) keys.add(key);
    }
    return keys;
  }
  return undefined;
}

/** A query that names no declared parameter: routes without a query schema take none. */
export const NO_QUERY = z.object({});

function invalid(all: FieldProblem[], where: InputPart): AppError {
  const seen = new Set<string | undefined>();
  const problems = all.filter((problem) => !seen.has(problem.param) && seen.add(problem.param));
  const [first] = problems;
  const more = problems.length - 1;
  const message = first
    ? more > 0
      ? `${first.message} (and ${more} more problem${more > 1 ? 's' : ''}, listed in error.details)`
      : first.message
    : `${where === 'query' ? 'The query' : 'The request body'} is not valid`;
  return AppError.invalid('parameter_invalid', message, first?.param, problems);
}

/**
 * Parses with zod. A failure is 400 `invalid_request`: every failing field in `details`, each
 * with a sentence naming it, `param` the first of them. A query parameter the schema does not
 * declare is refused like an unknown body field, so a misspelt filter is not silently ignored.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: InputPart,
  known?: ReadonlySet<string>,
): z.output<S> {
  const input = value ?? {};
  const unknown =
    known && typeof input === 'object' ? Object.keys(input).filter((key) => !known.has(key)) : [];
  const result = schema.safeParse(input, { error: ISSUE_DESCRIBERS[where], reportInput: true });
  if (result.success && unknown.length === 0) return result.data;
  // A malformed id in the path names nothing that exists.
  if (where === 'path')
    throw new AppError(404, 'not_found', 'resource_missing', 'No such resource.');
  const problems = [
    ...unknown.map((key) => unknownField(key, where)),
    ...(result.success ? [] : fieldProblems(result.error.issues, where)),
  ];
  throw invalid(problems, where);
}
