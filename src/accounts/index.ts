export { deleteAccountTokensOf } from './account-tokens.repository';
export {
  countUsers,
  eraseUser,
  setEmail,
  setEmailHmac,
  unerasedCredentials,
  usersWithoutEmailHmac,
  vaultUsersToMove,
} from './accounts.repository';
export type { AccountsService } from './accounts.service';
export { verifyPassword } from './passwords';
export { hashToken, newToken } from './tokens';
