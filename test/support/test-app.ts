import type { Server } from 'node:http';
import { startWorkers, type RunningWorkers } from '../../jobs/worker';
import { startTestContext, type TestContext, type TestOptions } from './harness';

export interface TestAppOptions extends TestOptions {
  /** Also listen on a loopback port (`server`), so requests share one server. */
  listen?: boolean;
  /** Also run the queue workers in this process (`workers`). */
  workers?: boolean;
}

export interface TestApp extends TestContext {
  /** The app on a loopback port; only with `listen: true`. */
  server: Server;
  /** The queue workers; only with `workers: true`. */
  workers: RunningWorkers;
}

/**
 * The app of the enclosing `describe` (or file): before its tests, a database and Redis prefix
 * of its own, migrated, with the app built on them (and a listening server and workers if
 * asked); after them, all of it closed and removed. Read it only inside hooks and tests: its
 * fields exist once `beforeAll` has run.
 */
export function useTestApp(options: TestAppOptions | (() => TestAppOptions) = {}): TestApp {
  let context: TestContext | undefined;
  let server: Server | undefined;
  let workers: RunningWorkers | undefined;

  beforeAll(async () => {
    const {
      listen,
      workers: withWorkers,
      ...contextOptions
    } = typeof options === 'function' ? options() : options;
    context = await startTestContext(contextOptions);
    if (listen) server = context.app.listen(0);
    if (withWorkers) workers = await startWorkers(context.deps, context.services);
  });

  afterAll(async () => {
    // Workers first: a job still running needs the database and Redis the context closes.
    const steps = [
      () => workers?.close(),
      () => server && new Promise((resolve) => server!.close(resolve)),
      () => context?.close(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    context = server = workers = undefined;
    if (failures.length > 0) throw failures[0];
  });

  const field = <K extends keyof TestApp>(key: K): TestApp[K] => {
    if (!context) throw new Error(`useTestApp: ${String(key)} read before beforeAll ran`);
    if (key === 'server') {
      if (!server) throw new Error('useTestApp: server needs { listen: true }');
      return server as TestApp[K];
    }
    if (key === 'workers') {
      if (!workers) throw new Error('useTestApp: workers needs { workers: true }');
      return workers as TestApp[K];
    }
    return context[key as keyof TestContext] as TestApp[K];
  };
  return new Proxy({} as TestApp, {
    // Symbols and `then` are asked by inspectors and `await`, not by tests.
    get: (_target, key) =>
      typeof key === 'symbol' || key === 'then' ? undefined : field(key as keyof TestApp),
  });
}
