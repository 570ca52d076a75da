import { MYSQL_SERVER_URL, TEST_REDIS_URL, uniqueTestName } from '../support/test-env';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { dropDatabase } from '../../src/db/database';

const name = uniqueTestName();
const env = {
  DATABASE_URL: `${MYSQL_SERVER_URL}/${name}`,
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: name,
  RATE_LIMIT_SCALE: '0',
  DEMO_SEED: 'false',
};
let service: ServiceProcess | undefined;

afterAll(async () => {
  if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
  await dropDatabase(env.DATABASE_URL);
});

test('SIGTERM under load: every in-flight request finishes, then the process exits 0', async () => {
  service = await startServiceProcess(env, 30000 + Math.floor(Math.random() * 20000));
  const signups = Array.from({ length: 30 }, (_, i) =>
    fetch(`${service!.url}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `sigterm${i}@example.com`,
        password: 'long enough password',
        displayName: `S${i}`,
        country: 'DE',
        accountType: 'member',
      }),
    }).then((res) => res.status),
  );
  // Let the requests reach the server (password hashing keeps them in flight), then stop it.
  await new Promise((resolve) => setTimeout(resolve, 100));
  service.child.kill('SIGTERM');
  const statuses = await Promise.all(signups);
  expect(statuses).toEqual(Array(30).fill(201));
  expect(await service.exited).toBe(0);
  // New connections are refused once it has stopped.
  await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
});
