import { parseArgs } from 'node:util';
import { AccountsService } from './accounts/accounts.service';
import { SessionCache } from './accounts/session-cache';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { Db } from './db/db';
import { ensureDatabase } from './db/database';
import { migrateDatabase } from './db/migrator';
import { AppError } from './http/app-error';
import { ROLES, type Role } from './http/auth-context';
import { ModeratorRegions } from './notes/moderator-regions';
import { COUNTRY_CODES } from './http/country-codes';
import { createRedis, redisTargetOf } from './redis/connection';
import { waitForRedis } from './redis/ready';

const HELP = `cyberstall command line

  npm run cli -- grant --email EMAIL --role finance|moderator|admin [--regions JP,KR]
      Grants a staff role to an existing account (staff roles are never granted by signup).
      A moderator given --regions sees and decides only notes of authors from those countries.

  npm run cli -- migrate
      Applies pending database migrations and exits.

  npm run cli -- --help
      Shows this text.
`;

const STAFF_ROLES: Role[] = ['finance', 'moderator', 'admin'];

/** `JP,kr` -> ['JP', 'KR']; an unknown code stops the command before anything is granted. */
function parseRegions(list: string): string[] {
  const codes = list
    .split(',')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code !== '');
  const unknown = codes.filter((code) => !COUNTRY_CODES.has(code));
  if (unknown.length > 0)
    throw new Error(`not ISO 3166-1 alpha-2 countries: ${unknown.join(', ')}`);
  return codes;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      regions: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  await ensureDatabase(config.DATABASE_URL);
  await migrateDatabase(config.DATABASE_URL);
  const db = new Db(config.DATABASE_URL, { poolMax: 2 });
  try {
    switch (command) {
      case 'migrate':
        process.stdout.write('migrations up to date\n');
        return 0;
      case 'grant': {
        const role = values.role as Role | undefined;
        if (!values.email || !role || !STAFF_ROLES.includes(role) || !ROLES.includes(role)) {
          process.stderr.write(`usage: grant --email EMAIL --role ${STAFF_ROLES.join('|')}\n`);
          return 2;
        }
        if (values.regions !== undefined && role !== 'moderator') {
          process.stderr.write('--regions is for --role moderator only\n');
          return 2;
        }
        const regions = values.regions === undefined ? undefined : parseRegions(values.regions);
        // Signed-in sessions cached in Redis carry roles: the grant drops them.
        const redis = createRedis(redisTargetOf(config), { name: 'cli' });
        try {
          await waitForRedis(redis, 10_000);
          const sessions = new SessionCache(redis, config.REDIS_PREFIX);
          const user = await new AccountsService(db, systemClock, sessions).grantRole(
            values.email,
            role,
          );
          process.stdout.write(`${user.email} now has roles: ${user.roles.join(', ')}\n`);
          if (regions !== undefined) {
            const moderator = await new ModeratorRegions(db).assign(user.id, regions);
            process.stdout.write(
              `${user.email} decides notes of: ${moderator.regions.join(', ') || 'every country'}\n`,
            );
          }
          return 0;
        } finally {
          redis.disconnect();
        }
      }
      default:
        process.stderr.write(`unknown command: ${command}\n\n${HELP}`);
        return 2;
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof AppError || error instanceof ConfigError || error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
