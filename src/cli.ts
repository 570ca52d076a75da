import { parseArgs } from 'node:util';
import { AccountsService } from './accounts/accounts.service';
import { SessionCache } from './accounts/session-cache';
import { systemClock } from './clock';
import { ConfigError, loadConfig } from './config';
import { createSequelize, ensureDatabase } from './db/database';
import { migrateDatabase } from './db/migrator';
import { AppError } from './http/app-error';
import { ROLES, type Role } from './http/auth-context';
import { createRedis, redisTargetOf } from './redis/connection';
import { waitForRedis } from './redis/ready';

const HELP = `cyberstall command line

  npm run cli -- grant --email EMAIL --role finance|moderator|admin
      Grants a staff role to an existing account (staff roles are never granted by signup).

  npm run cli -- migrate
      Applies pending database migrations and exits.

  npm run cli -- --help
      Shows this text.
`;

const STAFF_ROLES: Role[] = ['finance', 'moderator', 'admin'];

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
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
  const sequelize = createSequelize(config.DATABASE_URL, { poolMax: 2 });
  try {
    await migrateDatabase(config.DATABASE_URL, sequelize);
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
        // Signed-in sessions cached in Redis carry roles: the grant drops them.
        const redis = createRedis(redisTargetOf(config), { name: 'cli' });
        try {
          await waitForRedis(redis, 10_000);
          const sessions = new SessionCache(redis, config.REDIS_PREFIX);
          const user = await new AccountsService(sequelize, systemClock, sessions).grantRole(
            values.email,
            role,
          );
          process.stdout.write(`${user.email} now has roles: ${user.roles.join(', ')}\n`);
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
    await sequelize.close();
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
