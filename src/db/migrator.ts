import { type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { createSequelize, parseDatabaseUrl } from './database';
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
];

const LOCK_NAME = 'cyberstall_migrations';

/**
 * Runs pending migrations. Several processes may start at once (API and worker), so the
 * run holds a MySQL named lock: one migrates, the others wait and then find nothing to do.
 */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const umzug = new Umzug<Sequelize>({
    migrations: migrations.map((m) => ({ name: m.name, up: m.up, down: m.down })),
    context: sequelize,
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  // A named lock is bound to one connection, so take and release it inside one transaction.
  return sequelize.transaction(async (transaction) => {
    const [rows] = await sequelize.query('SELECT GET_LOCK(?, 120) AS got', {
      replacements: [LOCK_NAME],
      transaction,
    });
    if ((rows as Array<{ got: number }>)[0]?.got !== 1)
      throw new Error('could not take the migration lock');
    try {
      const done = await umzug.up();
      return done.map((m) => m.name);
    } finally {
      await sequelize.query('SELECT RELEASE_LOCK(?)', { replacements: [LOCK_NAME], transaction });
    }
  });
}

/**
 * Applies pending migrations. With several database nodes (a Galera cluster) every process
 * migrates through the first node of the list that answers, in the list's order, not through
 * its own: GET_LOCK is a lock of one server, so only a lock taken on one same node keeps two
 * processes from applying a migration twice.
 */
export async function migrateDatabase(url: string, sequelize: Sequelize): Promise<string[]> {
  if (parseDatabaseUrl(url).nodes.length === 1) return migrate(sequelize);
  // Umzug's bookkeeping queries run beside the locking transaction: more than one connection.
  const pinned = createSequelize(url, { poolMax: 4, firstNode: 0 });
  try {
    return await migrate(pinned);
  } finally {
    await pinned.close();
  }
}
