import type { z } from 'zod';

/** Where a failing value came from: it decides how a field is named in a sentence. */
export type InputPart = 'body' | 'query' | 'path';

/** One failing field of a request, as `error.details` lists it. */
export interface FieldProblem {
  /** The field (`shippingAddress.country`, `items.0.quantity`); absent for the whole input. */
  param?: string;
  /** `parameter_missing`, `parameter_unknown` or `parameter_invalid`. */
  code: string;
  /** A sentence naming the field. */
  message: string;
}

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  date: 'a date',
  null: 'null',
};

const FORMATS: Record<string, string> = {
  email: 'a valid email address',
  url: 'a valid URL',
  uuid: 'a UUID',
  guid: 'a UUID',
  datetime: 'an ISO 8601 date and time, e.g. 2026-05-01T09:00:00Z',
  date: 'a date, YYYY-MM-DD',
  time: 'a time, HH:MM:SS',
  duration: 'an ISO 8601 duration',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  base64: 'base64 text',
  lowercase: 'lower case',
  uppercase: 'upper case',
};

function plural(count: number | bigint, word: string): string {
  return `${count} ${word}${Number(count) === 1 ? '' : 's'}`;
}

/** `?status=a&status=b` arrives as a list, where the schema wants one value. */
function isRepeatedParameter(issue: RawIssue, where: InputPart): boolean {
  if (where !== 'query' || !Array.isArray(issue.input)) return false;
  if (issue.code === 'invalid_type') return issue.expected !== 'array';
  return issue.code !== 'too_small' && issue.code !== 'too_big';
}

function invalidType(issue: RawIssue & { code: 'invalid_type' }): string {
  if (issue.input === undefined) return 'is required';
  if (issue.expected === 'object' && (issue.path ?? []).length === 0)
    return 'must be a JSON object';
  return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
}

function tooSmall(issue: RawIssue & { code: 'too_small' }): string {
  const { minimum, inclusive, exact, origin } = issue;
  switch (origin) {
    case 'string':
      if (exact) return `must be exactly ${plural(minimum, 'character')} long`;
      if (Number(minimum) <= 1 && inclusive) return 'must not be empty';
      return `must be at least ${plural(minimum, 'character')} long`;
    case 'array':
    case 'set':
      if (exact) return `must have exactly ${plural(minimum, 'item')}`;
      return `must have at least ${plural(minimum, 'item')}`;
    case 'date':
      return `must not be before ${new Date(Number(minimum)).toISOString()}`;
    default:
      return inclusive ? `must be at least ${minimum}` : `must be greater than ${minimum}`;
  }
}

function tooBig(issue: RawIssue & { code: 'too_big' }): string {
  const { maximum, inclusive, exact, origin } = issue;
  switch (origin) {
    case 'string':
      if (exact) return `must be exactly ${plural(maximum, 'character')} long`;
      return `must be at most ${plural(maximum, 'character')} long`;
    case 'array':
    case 'set':
      if (exact) return `must have exactly ${plural(maximum, 'item')}`;
      return `must have at most ${plural(maximum, 'item')}`;
    case 'date':
      return `must not be after ${new Date(Number(maximum)).toISOString()}`;
    default:
      return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
  }
}

function invalidFormat(issue: RawIssue & { code: 'invalid_format' }): string {
  const { format } = issue;
  if (format === 'starts_with' && 'prefix' in issue) return `must start with "${issue.prefix}"`;
  if (format === 'ends_with' && 'suffix' in issue) return `must end with "${issue.suffix}"`;
  if (format === 'includes' && 'includes' in issue) return `must contain "${issue.includes}"`;
  if (format === 'regex') return 'is not in the expected format';
  return `must be ${FORMATS[format] ?? `a valid ${format}`}`;
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return shown.length === 1 ? `must be ${shown[0]}` : `must be one of ${shown.join(', ')}`;
}

/**
 * zod's per-parse error map: a phrase for each kind of failure, completed into a sentence by
 * `fieldProblems`. Messages a schema sets itself (`.refine(..., { message })`) take precedence
 * over it, so a custom rule keeps its own words.
 */
function describeIssue(issue: RawIssue, where: InputPart): string {
  if (isRepeatedParameter(issue, where)) return 'must be given once';
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue);
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_format':
      return invalidFormat(issue);
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_value':
      return oneOf(issue.values);
    case 'invalid_union':
      return 'does not match any accepted form';
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_element':
      return 'has an invalid entry';
    case 'unrecognized_keys':
      return 'has unknown fields';
    default:
      return 'is not valid';
  }
}

/** The error map for each part of a request, made once. */
export const ISSUE_DESCRIBERS: Record<InputPart, (issue: RawIssue) => string> = {
  body: (issue) => describeIssue(issue, 'body'),
  query: (issue) => describeIssue(issue, 'query'),
  path: (issue) => describeIssue(issue, 'path'),
};

const SUBJECTS: Record<InputPart, string> = {
  body: 'The request body',
  query: 'The query',
  path: 'The path',
};

/** Completes a phrase (`must be a number`) into a sentence naming the field. */
function sentence(param: string | undefined, text: string, where: InputPart): string {
  const subject = param ?? SUBJECTS[where];
  const last = param?.split('.').pop();
  if (param !== undefined && (text.startsWith(`${param} `) || text.startsWith(`${last} `)))
    return text;
  if (/^(must|is|are|may|can|cannot|should|has|have|does)\b/.test(text))
    return `${subject} ${text}`;
  if (/^(required|only|not)\b/.test(text)) return `${subject} is ${text}`;
  if (/^[A-Z]/.test(text)) return text;
  return `${subject}: ${text}`;
}

function unknownName(param: string, where: InputPart): string {
  const what = where === 'query' ? 'query parameter' : 'field';
  return param === '' ? `A ${what} has no name` : `${param} is not a known ${what}`;
}

/** An unknown field or query parameter, as a problem of its own. */
export function unknownField(param: string, where: InputPart): FieldProblem {
  return { param, code: 'parameter_unknown', message: unknownName(param, where) };
}

/** A problem per failing field (a field may fail more than one rule), in zod's order. */
export function fieldProblems(
  issues: readonly z.core.$ZodIssue[],
  where: InputPart,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        problems.push(unknownField([...issue.path, key].join('.'), where));
      continue;
    }
    const param = issue.path.length > 0 ? issue.path.join('.') : undefined;
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    problems.push({
      ...(param !== undefined ? { param } : {}),
      code: missing ? 'parameter_missing' : 'parameter_invalid',
      message: sentence(param, issue.message, where),
    });
  }
  return problems;
}
