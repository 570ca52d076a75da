/*
 * Drops: configuring one, playing it live, what its reservations buy, its revenue, and how
 * winners are recorded when the database connection fails around a COMMIT.
 *
 * One jest file for the parts in ./drops: they share its module registry, so the app's modules
 * load once, not once a part (about 0.7 s of CPU each). Each part still has its own database,
 * Redis prefix, app and workers, opened and closed by the hooks of its own describe.
 */
describe('configuring drops', () => {
  jest.requireActual('./drops/configuring-drops');
});
describe('a live drop', () => {
  jest.requireActual('./drops/a-live-drop');
});
describe('drop reservations', () => {
  jest.requireActual('./drops/drop-reservations');
});
describe('drop revenue', () => {
  jest.requireActual('./drops/drop-revenue');
});
describe('recording winners', () => {
  jest.requireActual('./drops/recording-winners');
});
