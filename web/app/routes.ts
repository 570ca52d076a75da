import { index, route, type RouteConfig } from '@react-router/dev/routes';

export default [
  index('routes/storefront.tsx'),
  route('listings/:id', 'routes/listing.tsx'),
  route('stalls/:userId', 'routes/stall.tsx'),
  route('checkout', 'routes/checkout.tsx'),
  route('checkout/coupon', 'routes/checkout-coupon.tsx'),
  route('orders', 'routes/orders.tsx'),
  route('orders/:id', 'routes/order.tsx'),
  route('drops', 'routes/drops.tsx'),
  route('drops/:id', 'routes/drop.tsx'),
  route('drops/:id/checkout', 'routes/drop-checkout.tsx'),
  route('signin', 'routes/signin.tsx'),
  route('signup', 'routes/signup.tsx'),
  route('signout', 'routes/signout.tsx'),
  route('language', 'routes/language.tsx'),
  route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig;
