export { deleteAccountTokensOf } from './account-tokens.repository';
export {
  countUsers,
  eraseUser,
  setEmail,
  setEmailHmacs,
  unerasedCredentials,
  usersWithoutEmailHmac,
  vaultUsersToMove,
} from './accounts.repository';
export type { AccountsService } from './accounts.service';
export { verifyPassword } from './passwords';
export { hashToken, newToken } from './tokens';
