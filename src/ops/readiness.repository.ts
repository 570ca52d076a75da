import type { Sequelize } from 'sequelize';

/** MySQL answers a query. */
export function pingMysql(sequelize: Sequelize): Promise<unknown> {
  return sequelize.query('SELECT 1');
}
