import { z } from 'zod';
import { AppError, errorBody } from '../../src/http/app-error';
import { currencyCode, minorAmount } from '../../src/http/common-schemas';
import { declaredKeys, parseInput } from '../../src/http/parse-input';

function refusal(schema: z.ZodType, value: unknown, where: 'body' | 'query' = 'body') {
  try {
    parseInput(schema, value, where, where === 'query' ? declaredKeys(schema) : undefined);
  } catch (error) {
    if (error instanceof AppError) return errorBody(error).error;
    throw error;
  }
  throw new Error('accepted');
}

describe('validation messages are sentences naming the field', () => {
  test.each<[string, z.ZodType, unknown, string]>([
    ['a missing field', z.object({ title: z.string() }), {}, 'title is required'],
    ['a wrong type', z.object({ title: z.string() }), { title: 3 }, 'title must be a string'],
    [
      'NaN from a query',
      z.object({ minPrice: z.coerce.number() }),
      { minPrice: 'abc' },
      'minPrice must be a number',
    ],
    [
      'a fraction',
      z.object({ count: z.number().int() }),
      { count: 1.5 },
      'count must be a whole number',
    ],
    [
      'a fraction of money',
      z.object({ priceAmount: minorAmount }),
      { priceAmount: 19.99 },
      'priceAmount must be a whole number of minor units',
    ],
    [
      'money as text',
      z.object({ priceAmount: minorAmount }),
      { priceAmount: '5' },
      'priceAmount must be a whole number of minor units',
    ],
    ['money missing', z.object({ priceAmount: minorAmount }), {}, 'priceAmount is required'],
    ['below a minimum', z.object({ n: z.number().min(1) }), { n: 0 }, 'n must be at least 1'],
    ['above a maximum', z.object({ n: z.number().max(100) }), { n: 101 }, 'n must be at most 100'],
    [
      'an empty string',
      z.object({ title: z.string().min(1) }),
      { title: '' },
      'title must not be empty',
    ],
    [
      'a long string',
      z.object({ title: z.string().max(3) }),
      { title: 'abcd' },
      'title must be at most 3 characters long',
    ],
    [
      'an exact length',
      z.object({ code: z.string().length(3) }),
      { code: 'ab' },
      'code must be exactly 3 characters long',
    ],
    [
      'too many items',
      z.object({ tags: z.array(z.string()).max(1) }),
      { tags: ['a', 'b'] },
      'tags must have at most 1 item',
    ],
    [
      'too few items',
      z.object({ items: z.array(z.string()).min(1) }),
      { items: [] },
      'items must have at least 1 item',
    ],
    [
      'an email',
      z.object({ email: z.email() }),
      { email: 'x' },
      'email must be a valid email address',
    ],
    ['a URL', z.object({ url: z.url() }), { url: 'x' }, 'url must be a valid URL'],
    [
      'an enum',
      z.object({ condition: z.enum(['new', 'used']) }),
      { condition: 'broken' },
      'condition must be one of new, used',
    ],
    ['a literal', z.object({ kind: z.literal('a') }), { kind: 'b' }, 'kind must be a'],
    [
      'a nested field',
      z.object({ a: z.object({ b: z.number() }) }),
      { a: { b: 'x' } },
      'a.b must be a number',
    ],
    [
      'an array entry',
      z.object({ items: z.array(z.object({ q: z.number().int().min(1) })) }),
      { items: [{ q: 0 }] },
      'items.0.q must be at least 1',
    ],
    [
      'a currency',
      z.object({ currency: currencyCode }),
      { currency: 'US' },
      'currency must be a 3-letter ISO 4217 code, e.g. USD',
    ],
    ['an unknown body field', z.object({}).strict(), { fee: 1 }, 'fee is not a known field'],
    [
      'a custom rule that names its field',
      z
        .object({ a: z.number() })
        .refine(() => false, { message: 'a must not exceed b', path: ['a'] }),
      { a: 1 },
      'a must not exceed b',
    ],
    [
      'a custom rule that does not',
      z.object({ a: z.string().refine(() => false, 'must be shiny') }),
      { a: 'x' },
      'a must be shiny',
    ],
    [
      'a custom "required" rule',
      z
        .object({ a: z.number().optional() })
        .refine(() => false, { message: 'required for a percent discount', path: ['a'] }),
      {},
      'a is required for a percent discount',
    ],
    [
      'a body that is not an object',
      z.object({ a: z.string() }),
      [1],
      'The request body must be a JSON object',
    ],
  ])('%s', (_name, schema, value, message) => {
    const error = refusal(schema, value);
    expect(error).toMatchObject({ type: 'invalid_request', code: 'parameter_invalid', message });
    expect(error.details?.[0]?.message).toBe(message);
  });

  test('a query parameter given twice is asked for once', () => {
    const error = refusal(z.object({ status: z.string() }), { status: ['a', 'b'] }, 'query');
    expect(error.message).toBe('status must be given once');
  });

  test('every failing field is listed in details, param being the first', () => {
    const schema = z
      .object({ title: z.string().min(1), priceAmount: minorAmount, currency: currencyCode })
      .strict();
    const error = refusal(schema, { priceAmount: 19.99, currency: 'US', fee: 3 });
    expect(error.details).toEqual([
      { param: 'title', code: 'parameter_missing', message: 'title is required' },
      {
        param: 'priceAmount',
        code: 'parameter_invalid',
        message: 'priceAmount must be a whole number of minor units',
      },
      {
        param: 'currency',
        code: 'parameter_invalid',
        message: 'currency must be a 3-letter ISO 4217 code, e.g. USD',
      },
      { param: 'fee', code: 'parameter_unknown', message: 'fee is not a known field' },
    ]);
    expect(error.param).toBe('title');
    expect(error.message).toBe('title is required (and 3 more problems, listed in error.details)');
  });

  test('a field that breaks two rules is listed once, with its first failure', () => {
    const error = refusal(z.object({ id: z.string().min(5).regex(/^x/) }), { id: 'ab' });
    expect(error.details).toEqual([
      { param: 'id', code: 'parameter_invalid', message: 'id must be at least 5 characters long' },
    ]);
  });
});

describe('query parameters', () => {
  const query = z
    .object({ minPrice: z.coerce.number().optional(), limit: z.coerce.number().default(20) })
    .refine(() => true);

  test('an undeclared one is refused by name, before and alongside the others', () => {
    const error = refusal(query, { sort: 'price', minPrice: 'abc' }, 'query');
    expect(error.param).toBe('sort');
    expect(error.details).toEqual([
      { param: 'sort', code: 'parameter_unknown', message: 'sort is not a known query parameter' },
      { param: 'minPrice', code: 'parameter_invalid', message: 'minPrice must be a number' },
    ]);
  });

  test('declared ones pass, through refinements, pipes and unions', () => {
    expect(parseInput(query, { minPrice: '5' }, 'query', declaredKeys(query))).toEqual({
      minPrice: 5,
      limit: 20,
    });
    const piped = z.object({ a: z.string() }).transform((v) => v.a);
    expect([...(declaredKeys(piped) ?? [])]).toEqual(['a']);
    const union = z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]);
    expect([...(declaredKeys(union) ?? [])].sort()).toEqual(['a', 'b']);
  });

  test('a loose object or a record takes any parameter', () => {
    expect(declaredKeys(z.object({ a: z.string() }).loose())).toBeUndefined();
    expect(declaredKeys(z.record(z.string(), z.string()))).toBeUndefined();
  });
});

describe('currency codes', () => {
  test.each([
    ['usd', 'USD'],
    ['Jpy', 'JPY'],
    [' eur ', 'EUR'],
    ['USD', 'USD'],
  ])('%p is read as %p', (input, output) => {
    expect(currencyCode.parse(input)).toBe(output);
  });

  test.each(['US', 'usdd', 'xyz', ''])('%p is refused', (input) => {
    expect(currencyCode.safeParse(input).success).toBe(false);
  });
});

describe('service errors', () => {
  test('an invalid_request naming a field lists it in details too', () => {
    const body = errorBody(AppError.invalid('cannot_ship_to', 'No.', 'shippingAddress.country'));
    expect(body.error.details).toEqual([
      { param: 'shippingAddress.country', code: 'cannot_ship_to', message: 'No.' },
    ]);
  });

  test('other errors carry no details', () => {
    expect(errorBody(AppError.conflict('sold_out', 'Sold out.')).error.details).toBeUndefined();
  });
});
