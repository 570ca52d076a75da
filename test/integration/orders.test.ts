/*
 * Orders beyond the checkout races: amounts, shipping and drops, refunds, the finance export.
 *
 * One jest file for the parts in ./orders: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('order amount bounds', () => {
  jest.requireActual('./orders/order-amount-bounds');
});
describe('checkout shipping and drops', () => {
  jest.requireActual('./orders/checkout-shipping-and-drops');
});
describe('refund recovery', () => {
  jest.requireActual('./orders/refund-recovery');
});
describe('finance', () => {
  jest.requireActual('./orders/finance');
});
