import http from 'node:http';
import { E2eServices } from '../support/e2e';
import type { ServiceProcess } from '../support/service-process';

const services = new E2eServices();
let service: ServiceProcess | undefined;

afterAll(() => services.cleanup());

/** A signup request whose socket is connected and body sent; resolves `done` with the status. */
function sendSignup(url: string, i: number): { sent: Promise<void>; done: Promise<number> } {
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const done = new Promise<number>((resolve, reject) => {
    const req = http.request(
      `${url}/v1/auth/signup`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(
      JSON.stringify({
        email: `sigterm${i}@example.com`,
        password: 'long enough password',
        displayName: `S${i}`,
        country: 'DE',
        accountType: 'member',
      }),
      () => markSent(),
    );
  });
  return { sent, done };
}

test('SIGTERM under load: every in-flight request finishes, then the process exits 0', async () => {
  service = await services.start('all');
  const requests = Array.from({ length: 30 }, (_, i) => sendSignup(service!.url, i));
  await Promise.all(requests.map((r) => r.sent));
  // Password hashing keeps them in flight for a while; let the server take them all in, then stop it.
  await new Promise((resolve) => setTimeout(resolve, 150));
  service.child.kill('SIGTERM');
  const statuses = await Promise.all(
    requests.map((r) => r.done.catch((error: Error) => `${error.message}\n${service!.output()}`)),
  );
  expect(statuses).toEqual(Array(30).fill(201));
  expect(await service.exited).toBe(0);
  // New connections are refused once it has stopped.
  await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();

  // Nothing answered 201 was lost: started again, every account signs in.
  const again = await services.start('api');
  const logins = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      fetch(`${again.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `sigterm${i}@example.com`,
          password: 'long enough password',
        }),
      }).then((res) => res.status),
    ),
  );
  expect(logins).toEqual(Array(30).fill(200));
}, 60_000);
