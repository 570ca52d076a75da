/*
 * The community: notes, the cultural buffer, reading, offline sync, search, notes that sell,
 * the feed, the glossary, brand challenges.
 *
 * One jest file for the parts in ./community: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('notes', () => {
  jest.requireActual('./community/notes');
});
describe('buffer', () => {
  jest.requireActual('./community/buffer');
});
describe('reading', () => {
  jest.requireActual('./community/reading');
});
describe('sync', () => {
  jest.requireActual('./community/sync');
});
describe('note search', () => {
  jest.requireActual('./community/note-search');
});
describe('that sell', () => {
  jest.requireActual('./community/that-sell');
});
describe('feed', () => {
  jest.requireActual('./community/feed');
});
describe('glossary', () => {
  jest.requireActual('./community/glossary');
});
describe('challenges', () => {
  jest.requireActual('./community/challenges');
});
