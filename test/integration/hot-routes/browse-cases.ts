import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestUser } from '../../support/fixtures';

/** GET /v1/listings is hot too: a browse with its query string, read the same on both paths. */
export interface BrowseCase {
  name: string;
  path: string;
  auth?: 'member' | string;
  headers?: Record<string, string>;
  body?: string;
  hot: boolean;
}

export const BROWSE_CASES: BrowseCase[] = [
  { name: 'browse: no query', path: '/v1/listings', hot: true },
  { name: 'browse: empty query', path: '/v1/listings?', hot: true },
  { name: 'browse: a search', path: '/v1/listings?q=hot%20path%20lamp&limit=5', hot: true },
  {
    name: 'browse: a prefix and filters',
    path: '/v1/listings?q=hot%20la&category=Lamps&condition=used&currency=USD&minPrice=1&maxPrice=99999',
    hot: true,
  },
  { name: 'browse: repeated parameter', path: '/v1/listings?category=a&category=b', hot: true },
  { name: 'browse: unknown parameter', path: '/v1/listings?colour=red', hot: true },
  { name: 'browse: invalid limit', path: '/v1/listings?limit=0', hot: true },
  { name: 'browse: foreign cursor', path: '/v1/listings?cursor=abc', hot: true },
  { name: 'browse: price without currency', path: '/v1/listings?minPrice=5', hot: true },
  { name: 'browse: control character', path: '/v1/listings?q=a%00b', hot: true },
  { name: 'browse: malformed percent-encoding', path: '/v1/listings?q=%E0%A4%A', hot: true },
  { name: 'browse: signed in', path: '/v1/listings?limit=2', auth: 'member', hot: true },
  {
    name: 'browse: unknown token',
    path: '/v1/listings',
    auth: `Bearer ${'x'.repeat(43)}`,
    hot: true,
  },
  { name: 'browse: malformed Authorization', path: '/v1/listings', auth: 'Basic abc', hot: true },
  {
    name: 'browse: Idempotency-Key (only a POST claims one)',
    path: '/v1/listings?limit=1',
    auth: 'member',
    headers: { 'idempotency-key': 'browse-key-1' },
    hot: true,
  },
  // Left to Express by the hot path:
  { name: 'browse: trailing slash', path: '/v1/listings/?limit=1', hot: false },
  { name: 'browse: upper-case path', path: '/V1/listings?limit=1', hot: false },
  {
    name: 'browse: with a body',
    path: '/v1/listings?limit=1',
    headers: { 'content-type': 'application/json', 'content-length': '5' },
    body: '{"a":',
    hot: false,
  },
];

/** Sent with node:http, which (unlike fetch) sends a body with a GET when asked to. */
export function browse(server: Server, member: TestUser, c: BrowseCase) {
  const { port } = server.address() as AddressInfo;
  const auth = c.auth === 'member' ? member.auth.Authorization : c.auth;
  return new Promise<{ status: number; body: unknown; headers: Record<string, string> }>(
    (resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: c.path,
          method: 'GET',
          headers: { ...(auth ? { authorization: auth } : {}), ...c.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode!,
              body: text ? (JSON.parse(text) as unknown) : undefined,
              headers: res.headers as Record<string, string>,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(c.body);
    },
  );
}
