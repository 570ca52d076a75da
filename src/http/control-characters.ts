import { AppError } from './app-error';

/**
 * The shared rule for text the API takes in: no control characters but tab, line feed and
 * carriage return (NUL, escape, DEL and the C1 controls have no business in a name, a title or
 * a password, and NUL truncates text in the tools that later read it), and no unpaired
 * surrogate (not a character at all: MySQL's utf8mb4 would store U+FFFD in its place, so what
 * was answered would not be what was stored).
 */
// Control characters are exactly what this pattern is for.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\p{Cs}/u;

export function hasForbiddenCharacters(text: string): boolean {
  return FORBIDDEN.test(text);
}

/** The path of the first string (value or key) breaking the rule, or null. */
export function findForbiddenText(value: unknown): string | null {
  const flat = flatObjectResult(value);
  if (flat !== undefined) return flat;
  // A loop, not recursion: a body nested thousands deep must not blow the stack.
  const pending: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (typeof item.value === 'string') {
      if (FORBIDDEN.test(item.value)) return item.path.join('.');
    } else if (Array.isArray(item.value)) {
      item.value.forEach((entry, index) =>
        pending.push({ value: entry, path: [...item.path, String(index)] }),
      );
    } else if (item.value !== null && typeof item.value === 'object') {
      for (const [key, entry] of Object.entries(item.value)) {
        const path = [...item.path, key];
        if (FORBIDDEN.test(key)) return path.join('.');
        pending.push({ value: entry, path });
      }
    }
  }
  return null;
}

/**
 * The answer of findForbiddenText for a value that is not a container or is an object holding
 * none (most bodies, a drop attempt's `{"answer": ...}`), found without the walk's per-field
 * allocations; undefined for any other value. Same order as the walk: every key first, then
 * the values last to first.
 */
function flatObjectResult(value: unknown): string | null | undefined {
  if (typeof value === 'string') return FORBIDDEN.test(value) ? '' : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    const entry = record[key];
    if (entry !== null && typeof entry === 'object') return undefined;
  }
  for (const key of keys) if (FORBIDDEN.test(key)) return key;
  for (let i = keys.length - 1; i >= 0; i -= 1) {
    const entry = record[keys[i]!];
    if (typeof entry === 'string' && FORBIDDEN.test(entry)) return keys[i]!;
  }
  return null;
}

/**
 * The query parameter holding a forbidden string, or null: named by itself, as the client
 * wrote it (`?status=a&status=b%00` arrives as a list, and `status.1` names nothing sent).
 */
function forbiddenQueryParameter(query: unknown): string | null {
  if (query === null || typeof query !== 'object') return findForbiddenText(query);
  for (const [name, value] of Object.entries(query))
    if (FORBIDDEN.test(name) || findForbiddenText(value) !== null) return name;
  return null;
}

/**
 * Refuses a request whose query or JSON body carries forbidden characters with a 400 naming
 * the field, before its schemas (which may trim or fold) see it.
 */
export function refuseForbiddenText(input: { query?: unknown; body?: unknown }): void {
  for (const where of ['query', 'body'] as const) {
    const param =
      where === 'query' ? forbiddenQueryParameter(input.query) : findForbiddenText(input.body);
    if (param === null) continue;
    throw AppError.invalid(
      'parameter_invalid',
      `${param || where} must not contain control characters (such as NUL) or unpaired surrogates`,
      param || undefined,
    );
  }
}
