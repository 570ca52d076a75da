/*
 * Operating the service: health, metrics, moderation tools, queues, outages of MySQL and Redis.
 *
 * One jest file for the parts in ./operations: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('ops', () => {
  jest.requireActual('./operations/ops');
});
describe('moderation ops', () => {
  jest.requireActual('./operations/moderation-ops');
});
describe('moderation buffer', () => {
  jest.requireActual('./operations/moderation-buffer');
});
describe('queue dashboard pass', () => {
  jest.requireActual('./operations/queue-dashboard-pass');
});
describe('worker health', () => {
  jest.requireActual('./operations/worker-health');
});
describe('mysql outage', () => {
  jest.requireActual('./operations/mysql-outage');
});
describe('redis outage', () => {
  jest.requireActual('./operations/redis-outage');
});
