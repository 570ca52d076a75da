/*
 * What the service sends out: mail (events and SMTP) and webhooks.
 *
 * One jest file for the parts in ./messages: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('mail events', () => {
  jest.requireActual('./messages/mail-events');
});
describe('mail smtp', () => {
  jest.requireActual('./messages/mail-smtp');
});
describe('webhook endpoints', () => {
  jest.requireActual('./messages/webhook-endpoints');
});
describe('webhook delivery', () => {
  jest.requireActual('./messages/webhook-delivery');
});
