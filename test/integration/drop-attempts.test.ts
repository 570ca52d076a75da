/*
 * Playing a drop: answers, the brand's own attempts, activity, the pool's repair, and what a
 * member sees before answering (sold out, attempts left, the next hint).
 *
 * One jest file for the parts in ./drop-attempts: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('drop answers', () => {
  jest.requireActual('./drop-attempts/drop-answers');
});
describe('own drop attempt', () => {
  jest.requireActual('./drop-attempts/own-drop-attempt');
});
describe('drop activity', () => {
  jest.requireActual('./drop-attempts/drop-activity');
});
describe('drop opening', () => {
  jest.requireActual('./drop-attempts/drop-opening');
});
describe('drop pool repair', () => {
  jest.requireActual('./drop-attempts/drop-pool-repair');
});
describe('drop member state', () => {
  jest.requireActual('./drop-attempts/drop-member-state');
});
