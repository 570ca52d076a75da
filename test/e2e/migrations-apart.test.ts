import mysql from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/db/database';
import { E2eServices } from '../support/e2e';

// New deployments: each process finds its database empty (or broken) and migrates it itself.
const fresh = new E2eServices({ fromEmptyDatabase: true });
const broken = new E2eServices({ fromEmptyDatabase: true });

afterAll(() => Promise.all([fresh.cleanup(), broken.cleanup()]));

test('an API process on an empty database applies the migrations from a child process, then answers; the next finds none to apply', async () => {
  const api = await fresh.start('api');
  expect(api.output()).toContain('"migrations applied"');
  const signup = await fetch(`${api.url}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'fresh@example.com',
      password: 'long enough password',
      displayName: 'Fresh',
      country: 'DE',
      accountType: 'member',
    }),
  });
  expect(signup.status).toBe(201);

  const worker = await fresh.start('worker');
  expect(worker.output()).not.toContain('"migrations applied"');
}, 60_000);

test("a migration that fails stops the start with the migration's own error", async () => {
  const target = parseDatabaseUrl(broken.env.DATABASE_URL!);
  const connection = await mysql.createConnection(target.server);
  try {
    await connection.query(`CREATE DATABASE \`${target.database}\``);
    // The first migration creates this table: finding one already there, it fails.
    await connection.query(`CREATE TABLE \`${target.database}\`.users (id INT PRIMARY KEY)`);
  } finally {
    await connection.end();
  }
  await expect(broken.start('api')).rejects.toThrow(
    /exited with 1:[\s\S]*cyberstall failed to start: .*'users' already exists/,
  );
}, 60_000);
