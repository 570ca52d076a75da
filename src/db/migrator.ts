import { type Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { accounts } from './migrations/001-accounts';
import { listings } from './migrations/002-listings';
import { checkout } from './migrations/003-checkout';
import { drops } from './migrations/004-drops';
import { finance } from './migrations/005-finance';
import { points } from './migrations/006-points';
import { media } from './migrations/007-media';
import { campaignStats } from './migrations/008-campaign-stats';

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
