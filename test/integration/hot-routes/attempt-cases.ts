import { ADDRESS } from '../../support/fixtures';

/** The drop attempt and checkout requests sent to both apps, plain JSON and otherwise. */
export interface Case {
  name: string;
  /** The route pattern whose hot-path counter should move; the attempt route unless given. */
  route?: string;
  path?: (dropId: string) => string;
  dropId?: () => string;
  /** Authorization header; `member` uses the fresh member's token. */
  auth?: 'member' | 'none' | string;
  contentType?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  /** Whether the hot path should have taken it (else Express served both). */
  hot: boolean;
}

export const json = (value: unknown) => JSON.stringify(value);

/** The attempt cases; `scheduledDropId` names a drop not open yet, known once the app is up. */
export function attemptCases(scheduledDropId: () => string): Case[] {
  return [
    { name: 'wrong answer', body: json({ answer: 'Mount Rainier' }), hot: true },
    { name: 'right answer', body: json({ answer: 'ふじさん' }), hot: true },
    {
      name: 'right answer, full-width and spaced',
      body: json({ answer: ' ＭＯＵＮＴ　fuji ' }),
      hot: true,
    },
    { name: 'malformed JSON', body: '{"answer":', hot: true },
    { name: 'JSON that is not an object', body: '"Mount Fuji"', hot: true },
    { name: 'empty body', body: '', hot: true },
    {
      name: 'byte order mark',
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json({ answer: 'Fuji' }))]),
      hot: true,
    },
    { name: 'answer missing', body: json({}), hot: true },
    { name: 'unknown field', body: json({ answer: 'Fuji', extra: 1 }), hot: true },
    { name: 'answer not a string', body: json({ answer: 42 }), hot: true },
    { name: 'no Authorization', auth: 'none', body: json({ answer: 'Fuji' }), hot: true },
    {
      name: 'malformed Authorization',
      auth: 'Basic abc',
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    {
      name: 'unknown token',
      auth: `Bearer ${'x'.repeat(43)}`,
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    { name: 'lower-case scheme', auth: 'lower', body: json({ answer: 'Fuji' }), hot: true },
    {
      name: 'unknown drop',
      dropId: () => 'drp_00000000000000000000000000',
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    {
      name: 'malformed drop id',
      dropId: () => 'not-an-id',
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    {
      name: 'drop not live yet',
      dropId: scheduledDropId,
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    {
      name: 'charset utf-8',
      contentType: 'application/json; charset=UTF-8',
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    {
      name: 'caller request id',
      headers: { 'x-request-id': 'caller-chosen-id-1' },
      body: json({ answer: 'x' }),
      hot: true,
    },
    { name: 'text/plain body', contentType: 'text/plain', body: 'Mount Fuji', hot: true },
    {
      name: 'Idempotency-Key',
      headers: { 'idempotency-key': 'attempt-key-1' },
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    {
      name: 'Idempotency-Key that is not visible ASCII',
      headers: { 'idempotency-key': 'key with spaces' },
      body: json({ answer: 'Fuji' }),
      hot: true,
    },
    { name: 'body over the limit', body: json({ answer: 'x'.repeat(300_000) }), hot: true },
    ...checkoutCases(),
    // Left to Express by the hot path:
    {
      name: 'query string',
      path: (id) => `/v1/campaigns/drops/${id}/attempts?x=1`,
      body: json({ answer: 'Fuji' }),
      hot: false,
    },
    {
      name: 'percent-encoded id',
      path: () => '/v1/campaigns/drops/drp_%41/attempts',
      body: json({ answer: 'Fuji' }),
      hot: false,
    },
    {
      name: 'latin-1 charset',
      contentType: 'application/json; charset=latin1',
      body: json({ answer: 'Fuji' }),
      hot: false,
    },
  ];
}

/** POST /v1/orders is hot too. */
function checkoutCases(): Case[] {
  const order = (items: unknown, extra: Record<string, unknown> = {}) =>
    json({ items, shippingAddress: ADDRESS, ...extra });
  const base = { route: '/v1/orders', path: () => '/v1/orders', hot: true };
  return [
    {
      ...base,
      name: 'checkout: an order',
      body: order([{ listingId: '$listing', quantity: 2 }]),
    },
    {
      ...base,
      name: 'checkout: an unknown coupon',
      body: order([{ listingId: '$listing', quantity: 1 }], { couponCode: 'AAAA-BBBB-CCCC-DDDD' }),
    },
    {
      ...base,
      name: 'checkout: not enough stock',
      body: order([{ listingId: '$listing', quantity: 5000 }]),
    },
    {
      ...base,
      name: 'checkout: unknown listing',
      body: order([{ listingId: 'lst_00000000000000000000000000', quantity: 1 }]),
    },
    { ...base, name: 'checkout: no items', body: order([]) },
    { ...base, name: 'checkout: signed out', auth: 'none', body: order([]) },
    {
      ...base,
      name: 'checkout: with an Idempotency-Key',
      headers: { 'idempotency-key': 'order-key-1' },
      body: order([{ listingId: '$listing', quantity: 1 }]),
    },
  ];
}
