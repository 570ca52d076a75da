export { eraseBuyerShippingAddresses, replaceShippingAddress } from './orders.repository';
export { ORDER_STATUSES, type OrderStatus } from './order-state';
export { shippingAddressSchema, type CreateOrderInput, type OrderView } from './orders.schema';
export type { OrdersService, PurchaseGateInput } from './orders.service';
