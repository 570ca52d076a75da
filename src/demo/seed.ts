import type { Sequelize } from 'sequelize';
import type { Services } from '../app';
import type { Logger } from '../logger';

export const DEMO_PASSWORD = 'cyberstall-demo';

interface DemoAccount {
  email: string;
  displayName: string;
  country: string;
  timezone: string;
  accountType: 'member' | 'brand';
  brandName?: string;
  staffRole?: 'finance' | 'moderator' | 'admin';
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'mei@demo.cyberstall.test', displayName: 'Mei (Kyoto)', country: 'JP', timezone: 'Asia/Tokyo', accountType: 'member' },
  { email: 'lucas@demo.cyberstall.test', displayName: 'Lucas (Lisboa)', country: 'PT', timezone: 'Europe/Lisbon', accountType: 'member' },
  { email: 'ana@demo.cyberstall.test', displayName: 'Ana (São Paulo)', country: 'BR', timezone: 'America/Sao_Paulo', accountType: 'member' },
  { email: 'brand@demo.cyberstall.test', displayName: 'Uji Tea House', country: 'JP', timezone: 'Asia/Tokyo', accountType: 'brand', brandName: 'Uji Tea House' },
  { email: 'finance@demo.cyberstall.test', displayName: 'Finance', country: 'GB', timezone: 'Europe/London', accountType: 'member', staffRole: 'finance' },
  { email: 'moderator@demo.cyberstall.test', displayName: 'Moderator', country: 'SG', timezone: 'Asia/Singapore', accountType: 'member', staffRole: 'moderator' },
  { email: 'admin@demo.cyberstall.test', displayName: 'Admin', country: 'US', timezone: 'America/New_York', accountType: 'member', staffRole: 'admin' },
];

/** Seeds demo accounts and listings into an empty database, and says how to sign in. */
export async function seedDemoData(services: Services, sequelize: Sequelize, logger: Logger): Promise<void> {
  const [rows] = await sequelize.query('SELECT COUNT(*) AS n FROM users');
  if (Number((rows as Array<{ n: number }>)[0]?.n ?? 0) > 0) {
    logger.info('demo seed skipped: the database already has users');
    return;
  }
  const tokens = new Map<string, string>();
  const userIds = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const { user, token } = await services.accounts.signup({ ...account, password: DEMO_PASSWORD });
    if (account.staffRole) await services.accounts.grantRole(account.email, account.staffRole);
    tokens.set(account.email, token);
    userIds.set(account.email, user.id);
  }
  const lines = DEMO_ACCOUNTS.map(
    (a) => `  ${a.email.padEnd(34)} ${DEMO_PASSWORD}   ${a.staffRole ?? a.accountType}`,
  );
  process.stdout.write(`\nDemo accounts (e-mail, password, role):\n${lines.join('\n')}\n\n`);
  logger.info({ accounts: DEMO_ACCOUNTS.length }, 'demo data seeded');
}
