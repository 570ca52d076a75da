import { E2eServices } from '../support/e2e';
import { until } from '../support/fixtures';

// A new deployment: the primary finds no database and applies the migrations once.
const services = new E2eServices({ fromEmptyDatabase: true });

afterAll(() => services.cleanup());

/** Pids of the processes that logged 'API listening', in order. */
function listeningPids(output: string): number[] {
  return output
    .split('\n')
    .filter((line) => line.includes('"API listening"'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('API_PROCESSES=2: two API processes share the port, metrics are summed, a dead one is replaced, SIGTERM stops all', async () => {
  const service = await services.start('all', { API_PROCESSES: '2' });
  // Each child's own log line may trail the primary's 'API processes listening'.
  await until(
    'both API processes to log',
    async () => listeningPids(service.output()).length === 2,
    5000,
  );
  const first = listeningPids(service.output());
  expect(new Set(first).size).toBe(2);
  expect(first).not.toContain(service.child.pid);

  // The primary runs the queue workers (ROLE=all).
  expect(service.output()).toContain('"workers started"');
  const signup = await fetch(`${service.url}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'cluster@example.com',
      password: 'long enough password',
      displayName: 'Cluster',
      country: 'DE',
      accountType: 'member',
    }),
  });
  expect(signup.status).toBe(201);
  const { token } = (await signup.json()) as { token: string };
  // A session made through one process is honoured by every process.
  const me = await Promise.all(
    Array.from({ length: 10 }, () =>
      fetch(`${service.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      ),
    ),
  );
  expect(me).toEqual(Array(10).fill(200));

  await Promise.all(
    Array.from({ length: 20 }, () => fetch(`${service.url}/healthz`).then((r) => r.text())),
  );
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  // One series summed over both processes, whichever process answered each request.
  expect(metrics).toMatch(
    /^http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 20$/m,
  );
  expect(metrics).toMatch(
    /^http_request_duration_seconds_count\{method="GET",route="\/v1\/me",status="200"\} 10$/m,
  );

  // An API process killed outright is replaced; the service keeps answering meanwhile.
  process.kill(first[0]!, 'SIGKILL');
  await until(
    'a replacement API process',
    async () => listeningPids(service.output()).length === 3,
    15_000,
  );
  const replacement = listeningPids(service.output())[2]!;
  expect(first).not.toContain(replacement);
  expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  expect([first[1]!, replacement].filter(isAlive)).toEqual([]);
  // The only error logged is the death of the process this test killed.
  const errors = service
    .output()
    .split('\n')
    .filter((line) => line.includes('"level":50'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(`"apiPid":${first[0]}`);
});
