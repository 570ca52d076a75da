/*
 * Photos: uploads, formats (HEIC included) and renditions.
 *
 * One jest file for the parts in ./photos: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('media', () => {
  jest.requireActual('./photos/media');
});
describe('media refusals', () => {
  jest.requireActual('./photos/media-refusals');
});
describe('media attachments', () => {
  jest.requireActual('./photos/media-attachments');
});
describe('heic', () => {
  jest.requireActual('./photos/heic');
});
