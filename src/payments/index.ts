export { PaymentRefused, type PaymentProvider } from './payment-provider';
