import type { Sequelize } from 'sequelize';
import { initAccountModels } from '../accounts/accounts.model';

/** Binds every Sequelize model to this instance. */
export function initModels(sequelize: Sequelize): void {
  initAccountModels(sequelize);
}
