import type { BusEvent } from '../../messaging/event-bus.js';
import type { SagaItem } from './saga-trace-events.js';

/** An order as the customer places it. */
export interface OrderRequest {
  orderId: string;
  /** What the customer pays. */
  amount: number;
  items: SagaItem[];
}

/** The events of the order saga (choreography). */
export type OrderSagaEvent =
  | BusEvent<'OrderCreated', OrderRequest>
  /** Carries the items, so the inventory needs nothing else to reserve them. */
  | BusEvent<'PaymentCompleted', { orderId: string; paymentId: string; amount: number; items: SagaItem[] }>
  | BusEvent<'PaymentFailed', { orderId: string; reason: string }>
  | BusEvent<'ItemsReserved', { orderId: string; items: SagaItem[] }>
  | BusEvent<'ItemsUnavailable', { orderId: string; missing: string[] }>
  | BusEvent<'PaymentRefunded', { orderId: string; amount: number }>
  | BusEvent<'OrderCompleted', { orderId: string }>
  | BusEvent<'OrderCancelled', { orderId: string; reason: string }>;

/** Names of the services of the reference order sagas. */
export interface OrderServiceNames {
  order: string;
  payment: string;
  inventory: string;
}

/** The default service names: `order-service`, `payment-service`, `inventory-service`. */
export const ORDER_SERVICES: OrderServiceNames = { order: 'order-service', payment: 'payment-service', inventory: 'inventory-service' };

/** True when every item is in stock in the wanted quantity. */
export function inStock(stock: ReadonlyMap<string, number>, items: readonly SagaItem[]): boolean {
  const need = new Map<string, number>();
  for (const i of items) need.set(i.sku, (need.get(i.sku) ?? 0) + i.qty);
  for (const [sku, qty] of need) if ((stock.get(sku) ?? 0) < qty) return false;
  return true;
}

/** Skus of which there is not enough. */
export function missingItems(stock: ReadonlyMap<string, number>, items: readonly SagaItem[]): string[] {
  const need = new Map<string, number>();
  for (const i of items) need.set(i.sku, (need.get(i.sku) ?? 0) + i.qty);
  const out: string[] = [];
  for (const [sku, qty] of need) if ((stock.get(sku) ?? 0) < qty) out.push(sku);
  return out;
}

/** Adds (sign 1) or takes away (sign −1) items from a stock. */
export function moveStock(stock: Map<string, number>, items: readonly SagaItem[], sign: 1 | -1): void {
  for (const i of items) stock.set(i.sku, (stock.get(i.sku) ?? 0) + sign * i.qty);
}
