import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../src/config';
import { startService, type RunningService } from '../../../src/service';
import { MYSQL_SERVER_URL, TEST_REDIS_URL, uniqueTestName } from '../../support/test-env';
import { removeTestNamespace } from '../../support/test-namespace';

/** A worker process (ROLE=worker) as a container runs it: no API, a health port for its probe. */
const started: Array<{ name: string; service?: RunningService }> = [];

async function startWorker(env: Record<string, string>): Promise<RunningService> {
  const name = uniqueTestName();
  const config = loadConfig({
    DATABASE_URL: `${MYSQL_SERVER_URL}/${name}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: name,
    ROLE: 'worker',
    LOG_LEVEL: 'silent',
    DB_POOL_MAX: '4',
    ...env,
  });
  // Registered before it starts, so a failed start's database and keys are removed too.
  const entry: { name: string; service?: RunningService } = { name };
  started.push(entry);
  entry.service = await startService(config, pino({ level: 'silent' }));
  return entry.service;
}

afterEach(async () => {
  for (const { name, service } of started.splice(0)) {
    await service?.stop().catch(() => undefined);
    await removeTestNamespace(name);
  }
});

const urlOf = (service: RunningService, path: string) =>
  `http://127.0.0.1:${(service.healthServer!.address() as AddressInfo).port}${path}`;

test('ROLE=worker with HEALTH_PORT answers /healthz and /readyz (MySQL, Redis and its queue workers)', async () => {
  const worker = await startWorker({ HEALTH_PORT: '0' });
  expect(worker.server).toBeUndefined();

  const health = await fetch(urlOf(worker, '/healthz'));
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });

  const ready = await fetch(urlOf(worker, '/readyz'));
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({
    status: 'ready',
    checks: { mysql: 'ok', redis: 'ok', workers: 'ok' },
  });

  const other = await fetch(urlOf(worker, '/v1/listings'));
  expect(other.status).toBe(404);
  expect(((await other.json()) as { error: unknown }).error).toMatchObject({ type: 'not_found' });
  expect((await fetch(urlOf(worker, '/readyz'), { method: 'POST' })).status).toBe(405);
});

test('a worker whose queue worker stopped is not ready; once stopping, the port says draining, then closes', async () => {
  const worker = await startWorker({ HEALTH_PORT: '0' });
  const readyz = urlOf(worker, '/readyz');
  await worker.workers!.workers[0]!.close();
  const stopped = await fetch(readyz);
  expect(stopped.status).toBe(503);
  expect(await stopped.json()).toEqual({
    status: 'unavailable',
    checks: { mysql: 'ok', redis: 'ok', workers: 'down' },
  });

  const stopping = worker.stop();
  const during = await fetch(readyz);
  expect(during.status).toBe(503);
  expect(((await during.json()) as { status: string }).status).toBe('draining');
  await stopping;
  await expect(fetch(readyz)).rejects.toThrow();
});

test('without HEALTH_PORT a worker opens no port', async () => {
  const worker = await startWorker({});
  expect(worker.healthServer).toBeUndefined();
  expect(worker.server).toBeUndefined();
});
