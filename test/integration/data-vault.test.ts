/*
 * The EU members' data vault: moving members in, their rights, and what must never leak.
 *
 * One jest file for the parts in ./data-vault: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('move', () => {
  jest.requireActual('./data-vault/move');
});
describe('rights', () => {
  jest.requireActual('./data-vault/rights');
});
describe('leaks', () => {
  jest.requireActual('./data-vault/leaks');
});
