/*
 * Checkout: stock under concurrent orders, the rules of an order, its lifecycle, coupons and
 * the expiry of unpaid orders.
 *
 * One jest file for the parts in ./checkout: they share its module registry, so the app's
 * modules load once, not once a part (about 0.7 s of CPU each). Each part still has its own
 * database, Redis prefix and app, opened and closed by the hooks of its own describe.
 */
describe('checkout never oversells', () => {
  jest.requireActual('./checkout/never-oversells');
});
describe('order rules', () => {
  jest.requireActual('./checkout/order-rules');
});
describe('order lifecycle', () => {
  jest.requireActual('./checkout/order-lifecycle');
});
describe('coupons at checkout', () => {
  jest.requireActual('./checkout/coupons-at-checkout');
});
describe('unpaid orders expire', () => {
  jest.requireActual('./checkout/unpaid-orders-expire');
});
