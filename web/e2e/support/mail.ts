import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn, signUpMember } from './api';
import { WEB_TEST } from './service';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** An admin of the service under test, made as an operator would: `npm run cli -- grant`. */
export async function signUpAdmin(): Promise<string> {
  const admin = await signUpMember();
  const grant = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'grant', '--email', admin.email, '--role', 'admin'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: `mysql://root@127.0.0.1:3306/${WEB_TEST.database}`,
        REDIS_PREFIX: WEB_TEST.redisPrefix,
        LOG_LEVEL: 'warn',
      },
    },
  );
  if (grant.status !== 0) throw new Error(`grant failed: ${grant.stderr}`);
  return signIn(admin.email, admin.password);
}

interface OutboxMail {
  kind: string;
  to: string;
  text: string;
}

/** The path of the link in the newest mail of this kind to this address (queue jobs write them). */
export async function mailedLink(adminToken: string, to: string, kind: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${WEB_TEST.url}/v1/admin/outbox?limit=100`, {
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    if (!response.ok) throw new Error(`outbox: ${response.status} ${await response.text()}`);
    const { data } = (await response.json()) as { data: OutboxMail[] };
    const mail = data.find((each) => each.to === to && each.kind === kind);
    const link = mail?.text.match(/https?:\/\/\S+\?token=[\w-]+/)?.[0];
    if (link) {
      const url = new URL(link);
      return url.pathname + url.search;
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`no ${kind} mail to ${to}`);
}
