// Deduplicates the inventory's events by id, but records the id only after
// the publish is awaited: a copy delivered alongside the first (prefetch 10)
// checks before the first has recorded anything, and reserves again. The
// refund's race is left as it was, too.
// rejected by: invariants-every-schedule
import { eventBus, effects, sleep, log, type BusEvent } from 'playground';

type Item = { sku: string; qty: number };
type OrderData = { orderId: string; amount: number; items: Item[] };
type OrderEvent =
  | BusEvent<'OrderCreated', OrderData>
  | BusEvent<'PaymentCompleted', OrderData & { paymentId: string }>
  | BusEvent<'PaymentFailed', { orderId: string; error: string }>
  | BusEvent<'ItemsReserved', { orderId: string }>
  | BusEvent<'ItemsUnavailable', { orderId: string; missing: string[] }>
  | BusEvent<'PaymentRefunded', { orderId: string; amount: number }>
  | BusEvent<'OrderCompleted', { orderId: string }>;
type EventOf<T extends OrderEvent['eventType']> = Extract<OrderEvent, { eventType: T }>;

// --- order service -----------------------------------------------------------
const orderBus = await eventBus<OrderEvent>('order-service');
const orderEffects = effects('order-service');
const orders = new Map<string, OrderData & { status: string }>();

class OrderSaga {
  async createOrder(data: OrderData) {
    orders.set(data.orderId, { ...data, status: 'pending' });
    orderEffects.place(data.orderId, data.amount, data.items);
    orderEffects.status(data.orderId, 'pending');
    // Start the saga: from here on, the other services decide what happens.
    await orderBus.publish({ eventType: 'OrderCreated', data }, { correlationId: data.orderId });
  }

  handlePaymentCompleted(event: EventOf<'PaymentCompleted'>) {
    // Paid: now the inventory has to find the items.
    this.setStatus(event.data.orderId, 'payment_completed');
  }

  async handleItemsReserved(event: EventOf<'ItemsReserved'>) {
    const { orderId } = event.data;
    this.setStatus(orderId, 'completed');
    await orderBus.publish({ eventType: 'OrderCompleted', data: { orderId } }, { correlationId: orderId });
  }

  handlePaymentRefunded(event: EventOf<'PaymentRefunded'>) {
    this.setStatus(event.data.orderId, 'cancelled');
  }

  // The missing reaction: nothing was charged and nothing reserved, so there is
  // nothing to undo. The order just has to end.
  handlePaymentFailed(event: EventOf<'PaymentFailed'>) {
    this.setStatus(event.data.orderId, 'cancelled');
  }

  private setStatus(orderId: string, status: string) {
    const order = orders.get(orderId);
    if (!order || order.status === 'completed' || order.status === 'cancelled') return;
    order.status = status;
    orderEffects.status(orderId, status);
  }
}

const orderSaga = new OrderSaga();
await orderBus.subscribe('PaymentCompleted', (e) => orderSaga.handlePaymentCompleted(e));
await orderBus.subscribe('ItemsReserved', (e) => orderSaga.handleItemsReserved(e));
await orderBus.subscribe('PaymentRefunded', (e) => orderSaga.handlePaymentRefunded(e));
await orderBus.subscribe('PaymentFailed', (e) => orderSaga.handlePaymentFailed(e));

// --- payment service ---------------------------------------------------------
const paymentBus = await eventBus<OrderEvent>('payment-service');
const paymentEffects = effects('payment-service');
const CARD_LIMIT = 300;
const payments = new Map<string, { paymentId: string; amount: number; refunded: boolean }>();
let nextPaymentId = 1;

class PaymentSaga {
  /** Event ids this service has handled or is handling. (In a real service: a table, written in the same transaction as the payment.) */
  private readonly seen = new Set<string>();

  /**
   * Runs `work` for the first copy of an event only. The event id is claimed
   * before the first await: the bus hands this consumer up to 10 events at a
   * time (prefetch 10), so a copy can arrive while the first is still being
   * handled, and it must find the id taken already.
   */
  async once(event: OrderEvent, work: () => Promise<void>) {
    if (this.seen.has(event.eventId)) {
      log.info(`payment-service: ${event.eventType} ${event.eventId} already handled or in progress, copy skipped`);
      return;
    }
    this.seen.add(event.eventId);
    try {
      await work();
    } catch (error) {
      this.seen.delete(event.eventId); // not handled after all: a redelivery may try again
      throw error;
    }
  }

  async handleOrderCreated(event: EventOf<'OrderCreated'>) {
    const { orderId, amount } = event.data;
    try {
      const payment = await this.processPayment(orderId, amount, event.eventId);
      await paymentBus.publish({ eventType: 'PaymentCompleted', data: { ...event.data, paymentId: payment.paymentId } }, { correlationId: orderId });
    } catch (error) {
      await paymentBus.publish({ eventType: 'PaymentFailed', data: { orderId, error: (error as Error).message } }, { correlationId: orderId });
    }
  }

  async handleItemsUnavailable(event: EventOf<'ItemsUnavailable'>) {
    const { orderId } = event.data;
    const payment = payments.get(orderId);
    if (!payment || payment.refunded) return;
    await sleep(30); // the card network
    payment.refunded = true;
    paymentEffects.refund(orderId, payment.amount, { messageId: event.eventId });
    await paymentBus.publish({ eventType: 'PaymentRefunded', data: { orderId, amount: payment.amount } }, { correlationId: orderId });
  }

  private async processPayment(orderId: string, amount: number, messageId: string) {
    await sleep(50); // the card network
    if (amount > CARD_LIMIT) throw new Error(`card declined: ${amount} is over the limit of ${CARD_LIMIT}`);
    const payment = { paymentId: `pay-${nextPaymentId++}`, amount, refunded: false };
    payments.set(orderId, payment);
    paymentEffects.charge(orderId, amount, { messageId });
    return payment;
  }
}

const paymentSaga = new PaymentSaga();
// Delivery is at least once: a copy of an event may arrive again (here the fault
// plan duplicates OrderCreated), even while the first copy is still being handled.
// Checking `payments.has(orderId)` instead would not be enough: both copies pass
// that check before either reaches `payments.set`, because of the await in between.
// (The bus's `{ idempotent: true }` option does what `once` does.)
await paymentBus.subscribe('OrderCreated', (e) => paymentSaga.once(e, () => paymentSaga.handleOrderCreated(e)));
await paymentBus.subscribe('ItemsUnavailable', (e) => paymentSaga.once(e, () => paymentSaga.handleItemsUnavailable(e)));

// --- inventory service -------------------------------------------------------
const inventoryBus = await eventBus<OrderEvent>('inventory-service');
const inventoryEffects = effects('inventory-service');
const stock = new Map<string, number>([['book', 6], ['lamp', 1], ['mug', 4]]);
inventoryEffects.restock([...stock].map(([sku, qty]) => ({ sku, qty })));

const handledEvents = new Set<string>();

await inventoryBus.subscribe('PaymentCompleted', async (event) => {
  if (handledEvents.has(event.eventId)) return;
  const { orderId, items } = event.data;
  const missing = items.filter((i) => (stock.get(i.sku) ?? 0) < i.qty).map((i) => i.sku);
  if (missing.length > 0) {
    await inventoryBus.publish({ eventType: 'ItemsUnavailable', data: { orderId, missing } }, { correlationId: orderId });
    return;
  }
  for (const i of items) stock.set(i.sku, stock.get(i.sku)! - i.qty);
  inventoryEffects.reserve(orderId, items, { messageId: event.eventId });
  await inventoryBus.publish({ eventType: 'ItemsReserved', data: { orderId } }, { correlationId: orderId });
  handledEvents.add(event.eventId); // done: remember it
});

// --- the shop ----------------------------------------------------------------
const newOrders: OrderData[] = [
  { orderId: 'order-1', amount: 25, items: [{ sku: 'book', qty: 1 }] },
  { orderId: 'order-2', amount: 480, items: [{ sku: 'mug', qty: 2 }] }, // over the card limit
  { orderId: 'order-3', amount: 60, items: [{ sku: 'lamp', qty: 2 }] }, // only one lamp in stock
  { orderId: 'order-4', amount: 35, items: [{ sku: 'book', qty: 2 }, { sku: 'mug', qty: 1 }] },
  { orderId: 'order-5', amount: 18, items: [{ sku: 'mug', qty: 1 }] },
];

export default async function main() {
  for (const data of newOrders) {
    await orderSaga.createOrder(data);
    await sleep(100);
  }
  await sleep(2000); // let the saga play out
  const statuses = Object.fromEntries([...orders.values()].map((o) => [o.orderId, o.status]));
  const charged = [...payments].map(([id, p]) => `${id} ${p.amount}${p.refunded ? ' (refunded)' : ''}`);
  log.info(`orders: ${Object.entries(statuses).map(([id, s]) => `${id} ${s}`).join(', ')}; payments: ${charged.join(', ')}`, { statuses, stock: Object.fromEntries(stock) });
  return { statuses, stock: Object.fromEntries(stock) };
}
