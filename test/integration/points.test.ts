/*
 * Culture points: the ledger, its daily cap and zones, offers, conversions, airdrops.
 *
 * One jest file for the parts in ./points: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('ledger', () => {
  jest.requireActual('./points/ledger');
});
describe('ledger invariant', () => {
  jest.requireActual('./points/ledger-invariant');
});
describe('daily cap', () => {
  jest.requireActual('./points/daily-cap');
});
describe('zone change', () => {
  jest.requireActual('./points/zone-change');
});
describe('offers', () => {
  jest.requireActual('./points/offers');
});
describe('conversions', () => {
  jest.requireActual('./points/conversions');
});
describe('conversion races', () => {
  jest.requireActual('./points/conversion-races');
});
describe('airdrops', () => {
  jest.requireActual('./points/airdrops');
});
describe('lost jobs', () => {
  jest.requireActual('./points/lost-jobs');
});
describe('own campaigns', () => {
  jest.requireActual('./points/own-campaigns');
});
