/*
 * The database layer: prepared statements, pending migrations.
 *
 * One jest file for the parts in ./db: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('prepared', () => {
  jest.requireActual('./db/prepared');
});
describe('migrations pending', () => {
  jest.requireActual('./db/migrations-pending');
});
