/*
 * Browsing listings and stalls: search, its plans and punctuation, zones, profiles.
 *
 * One jest file for the parts in ./browse: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('listings', () => {
  jest.requireActual('./browse/listings');
});
describe('search plans', () => {
  jest.requireActual('./browse/search-plans');
});
describe('search punctuation', () => {
  jest.requireActual('./browse/search-punctuation');
});
describe('zones and countries', () => {
  jest.requireActual('./browse/zones-and-countries');
});
describe('own listings and profiles', () => {
  jest.requireActual('./browse/own-listings-and-profiles');
});
