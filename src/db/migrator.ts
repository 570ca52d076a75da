import { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { firstAnsweringNode, parseDatabaseUrl } from './database';
import { accounts } from './migrations/001-accounts';
import { listings } from './migrations/002-listings';
import { checkout } from './migrations/003-checkout';
import { drops } from './migrations/004-drops';
import { finance } from './migrations/005-finance';
import { points } from './migrations/006-points';
import { media } from './migrations/007-media';
import { campaignStats } from './migrations/008-campaign-stats';
import { pointDayWindows } from './migrations/009-point-day-windows';
import { listingDrop } from './migrations/010-listing-drop';
import { accountsMail } from './migrations/011-accounts-mail';
import { noteSearchFeed } from './migrations/012-note-search-feed';
import { dropReservationsDropKey } from './migrations/013-drop-reservations-drop-key';
import { webhooksOut } from './migrations/014-webhooks-out';
import { glossaryChallenges } from './migrations/015-glossary-challenges';
import { notesThatSell } from './migrations/016-notes-that-sell';
import { dataVault } from './migrations/017-data-vault';
import { listingSearchFilters } from './migrations/018-listing-search-filters';
import { listingSearchTokenBits } from './migrations/019-listing-search-token-bits';
import { listingSearchCategory } from './migrations/020-listing-search-category';

export interface Migration {
  name: string;
  up(params: { context: Sequelize }): Promise<void>;
  down(params: { context: Sequelize }): Promise<void>;
}

/** Versioned migrations, in order. Listed explicitly so compiled and ts-run code find the same set. */
export const migrations: Migration[] = [
  accounts,
  listings,
  checkout,
  drops,
  finance,
  points,
  media,
  campaignStats,
  pointDayWindows,
  listingDrop,
  accountsMail,
  noteSearchFeed,
  dropReservationsDropKey,
  webhooksOut,
  glossaryChallenges,
  notesThatSell,
  dataVault,
  listingSearchFilters,
  listingSearchTokenBits,
  listingSearchCategory,
];

/**
 * Sequelize for the migrations (umzug's storage and the migrations' own queries), on the first
 * node of the URL that answers: the service itself runs SQL through src/db/db.ts.
 */
async function createMigrationSequelize(url: string): Promise<Sequelize> {
  const target = parseDatabaseUrl(url);
  const { host, port } = await firstAnsweringNode(target);
  return new Sequelize(target.database, String(target.server.user), target.server.password ?? '', {
    host,
    port,
    dialect: 'mysql',
    timezone: '+00:00',
    logging: false,
    pool: { max: 4, min: 0, idle: 10_000, acquire: 10_000 },
    dialectOptions: {
      ...(target.server.socketPath ? { socketPath: target.server.socketPath } : {}),
      charset: 'utf8mb4',
      // Some migrations send a few DDL statements as one script. Fixed text, no values spliced
      // in; the service's own pools allow several only to batched transactions.
      multipleStatements: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
    },
    define: { underscored: true, timestamps: true },
  });
}

/**
 * A lock of the server, so it is named after the database: services, tests and benches
 * migrating other databases of the same server never wait for each other (names end at 64).
 */
const lockName = (sequelize: Sequelize) =>
  `cyberstall_migrations:${sequelize.config.database}`.slice(0, 64);

/**
 * Runs pending migrations. Several processes may start at once (API and worker), so the
 * run holds a MySQL named lock: one migrates, the others wait and then find nothing to do.
 */
async function migrate(sequelize: Sequelize): Promise<string[]> {
  const umzug = new Umzug<Sequelize>({
    migrations: migrations.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize,
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  // A named lock is bound to one connection, so take and release it inside one transaction.
  return sequelize.transaction(async (transaction) => {
    const [rows] = await sequelize.query('SELECT GET_LOCK(?, 120) AS got', {
      replacements: [lockName(sequelize)],
      transaction,
    });
    if ((rows as Array<{ got: number }>)[0]?.got !== 1)
      throw new Error('could not take the migration lock');
    try {
      const done = await umzug.up();
      return done.map((m) => m.name);
    } finally {
      await sequelize.query('SELECT RELEASE_LOCK(?)', {
        replacements: [lockName(sequelize)],
        transaction,
      });
    }
  });
}

/**
 * Applies pending migrations. With several database nodes (a Galera cluster) every process
 * migrates through the first node of the list that answers, in the list's order, not through
 * its own: GET_LOCK is a lock of one server, so only a lock taken on one same node keeps two
 * processes from applying a migration twice.
 */
export async function migrateDatabase(url: string): Promise<string[]> {
  const sequelize = await createMigrationSequelize(url);
  try {
    return await migrate(sequelize);
  } finally {
    await sequelize.close();
  }
}
