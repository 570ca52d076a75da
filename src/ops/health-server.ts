import { createServer, type Server } from 'node:http';
import type { Readiness } from './readiness';

/**
 * A worker has no HTTP API to probe. With HEALTH_PORT set it answers GET /healthz (the process
 * is up) and GET /readyz (MySQL, Redis and its queue workers answer; 503 otherwise or while it
 * stops) on that port, in the API's shapes, for a container healthcheck or an orchestrator.
 */
export function startHealthServer(
  port: number,
  readiness: () => Promise<Readiness>,
): Promise<Server> {
  const server = createServer((req, res) => {
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return answer(405, {
        error: { type: 'invalid_request', code: 'method_not_allowed', message: 'Only GET.' },
      });
    }
    if (path === '/healthz') return answer(200, { status: 'ok' });
    if (path === '/readyz') {
      return void readiness().then(
        (result) => answer(result.ready ? 200 : 503, result.body),
        () => answer(503, { status: 'unavailable', checks: {} }),
      );
    }
    answer(404, {
      error: {
        type: 'not_found',
        code: 'not_found',
        message: 'This port answers /healthz and /readyz only.',
      },
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
