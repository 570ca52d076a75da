/*
 * Accounts: sign-up, credentials, the session cache, abuse limits and brand quotas.
 *
 * One jest file for the parts in ./identity: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('accounts', () => {
  jest.requireActual('./identity/accounts');
});
describe('account credentials', () => {
  jest.requireActual('./identity/account-credentials');
});
describe('auth', () => {
  jest.requireActual('./identity/auth');
});
describe('session cache', () => {
  jest.requireActual('./identity/session-cache');
});
describe('abuse limits', () => {
  jest.requireActual('./identity/abuse-limits');
});
describe('brand quotas', () => {
  jest.requireActual('./identity/brand-quotas');
});
