import { randomUUID } from 'node:crypto';
import { api } from './account-api';

export const DEMO_PASSWORD = 'cyberstall-demo';

/** The demo seed's staff accounts (src/demo/seed.ts), as the console's tests sign in. */
export const DEMO_STAFF = {
  finance: {
    email: 'finance@demo.cyberstall.test',
    password: DEMO_PASSWORD,
    displayName: 'Finance',
  },
  moderator: {
    email: 'moderator@demo.cyberstall.test',
    password: DEMO_PASSWORD,
    displayName: 'Moderator',
  },
  admin: { email: 'admin@demo.cyberstall.test', password: DEMO_PASSWORD, displayName: 'Admin' },
};

export interface Account {
  email: string;
  password: string;
  displayName: string;
  token: string;
  id: string;
}

/** A new member or brand account, signed up through the API. */
export async function signUpAccount(
  accountType: 'member' | 'brand',
  country = 'JP',
): Promise<Account> {
  const email = `console-${randomUUID()}@example.test`;
  const password = 'correct horse battery';
  const displayName = `${accountType === 'brand' ? 'Brand' : 'Member'} ${email.slice(8, 14)}`;
  const { token, user } = await api<{ token: string; user: { id: string } }>(
    'POST',
    '/v1/auth/signup',
    undefined,
    {
      email,
      password,
      displayName,
      country,
      timezone: 'Asia/Tokyo',
      accountType,
      ...(accountType === 'brand' ? { brandName: displayName } : {}),
    },
  );
  return { email, password, displayName, token, id: user.id };
}
