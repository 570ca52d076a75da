import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { everyone, only, type Row, signedIn } from '../table';
import { api, fx, ok, users } from '../world';

/** Finance, photos and the operations routes. */
export const operationsRows: Row[] = [
  // Finance: finance role (and admin).
  {
    method: 'GET',
    path: '/v1/finance/orders.csv',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: '/v1/finance/orders.csv?from=2026-01-01&to=2026-01-02&timezone=UTC' }),
  },
  {
    method: 'POST',
    path: '/v1/finance/exports',
    expected: only({ finance: 202, admin: 202 }),
    target: () => ({
      url: '/v1/finance/exports',
      body: { from: '2026-01-01', to: '2026-01-02', timezone: 'UTC' },
    }),
  },
  {
    method: 'GET',
    path: '/v1/finance/exports',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: '/v1/finance/exports' }),
  },
  {
    method: 'GET',
    path: '/v1/finance/exports/{id}',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: `/v1/finance/exports/${fx.financeExport}` }),
  },
  {
    method: 'GET',
    path: '/v1/finance/exports/{id}/download',
    expected: only({ finance: 200, admin: 200 }),
    target: () => ({ url: `/v1/finance/exports/${fx.financeExport}/download` }),
  },

  // Photos
  {
    method: 'POST',
    path: '/v1/media',
    expected: signedIn(201),
    target: async () => {
      const boundary = `matrix${randomBytes(8).toString('hex')}`;
      return {
        url: '/v1/media',
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
        body: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n` +
              'Content-Type: image/png\r\n\r\n',
          ),
          await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
            .png()
            .toBuffer(),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      };
    },
  },
  {
    method: 'GET',
    path: '/media/{mediaId}/{variant}',
    expected: everyone(200),
    target: async () => {
      const photo = await sharp({
        create: { width: 8, height: 8, channels: 3, background: '#fff' },
      })
        .png()
        .toBuffer();
      const res = await ok(
        api().post('/v1/media').set(users.member.auth).attach('file', photo, 'a.png'),
        201,
      );
      return { url: new URL(res.body.variants.thumb as string).pathname };
    },
  },

  // Operations
  { method: 'GET', path: '/healthz', expected: everyone(200), target: () => ({ url: '/healthz' }) },
  { method: 'GET', path: '/readyz', expected: everyone(200), target: () => ({ url: '/readyz' }) },
  { method: 'GET', path: '/metrics', expected: everyone(200), target: () => ({ url: '/metrics' }) },
  {
    method: 'GET',
    path: '/openapi.json',
    expected: everyone(200),
    target: () => ({ url: '/openapi.json' }),
  },
  { method: 'GET', path: '/docs', expected: everyone(200), target: () => ({ url: '/docs/' }) },
  {
    method: 'GET',
    path: '/admin/queues',
    expected: only({ admin: 200 }),
    target: () => ({ url: '/admin/queues' }),
  },
];
