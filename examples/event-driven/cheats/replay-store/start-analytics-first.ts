// Cheat: analytics is started before the first order, so its bus queue gets
// every event as it happens. The exercise is about a service that starts
// late: it must be fed from the event store, which the cheat never reads.
// rejected by: late-orders-counted
import { eventBus, eventStore, service, sleep, log, type BusEvent, type EventBus, type NewEvent } from 'playground';

type OrderCreatedEvent = BusEvent<'OrderCreated', { orderId: string; userId: string; items: { productId: string; quantity: number }[]; totalAmount: number }>;
type PaymentProcessedEvent = BusEvent<'PaymentProcessed', { orderId: string; status: 'completed' | 'declined'; amount: number }>;
type ShopEvent = OrderCreatedEvent | PaymentProcessedEvent;

const store = eventStore();
/** Which events each service handled, for the result. */
const handled: Record<string, string[]> = {};
const note = (service: string, what: string) => (handled[service] ??= []).push(what);

class EventPublisher {
  constructor(private readonly bus: EventBus<ShopEvent>) {}

  async publishEvent(event: NewEvent<ShopEvent>) {
    const published = await this.bus.publish(event);
    // Also keep it in the event store: one stream per order (event sourcing).
    await store.append(published.data.orderId, published, { source: this.bus.service });
    return published;
  }
}

// --- payment service -------------------------------------------------------
const payments = service('payment-service');
const paymentBus = await eventBus<ShopEvent>('payment-service');
const paymentEvents = new EventPublisher(paymentBus);
await paymentBus.subscribe(
  'OrderCreated',
  async (event) => {
    await sleep(100); // the card network
    const { orderId, totalAmount } = event.data;
    const status = totalAmount > 300 ? 'declined' : 'completed'; // over the card's limit
    payments.log.info(`payment ${status} for ${orderId}`, { orderId, handled: 'OrderCreated' });
    note('payment', `OrderCreated ${orderId}`);
    await paymentEvents.publishEvent({ eventType: 'PaymentProcessed', data: { orderId, status, amount: totalAmount } });
  },
  { queue: 'events' },
);

// --- inventory service -----------------------------------------------------
const inventory = service('inventory-service');
const inventoryBus = await eventBus<ShopEvent>('inventory-service');
await inventoryBus.subscribe(
  'OrderCreated',
  async (event) => {
    await sleep(50);
    inventory.log.info(`reserved stock for ${event.data.orderId}`, { orderId: event.data.orderId, handled: 'OrderCreated' });
    note('inventory', `OrderCreated ${event.data.orderId}`);
  },
  { queue: 'events' },
);

// --- notification service --------------------------------------------------
const notifications = service('notification-service');

class OrderEventHandler {
  async handleOrderCreated(event: OrderCreatedEvent) {
    await sleep(80); // the mail server
    notifications.log.info(`emailed ${event.data.userId}: order ${event.data.orderId} received`, { orderId: event.data.orderId, handled: 'OrderCreated' });
    note('notification', `OrderCreated ${event.data.orderId}`);
  }

  async handlePaymentProcessed(event: PaymentProcessedEvent) {
    await sleep(80);
    notifications.log.info(`emailed: payment ${event.data.status} for ${event.data.orderId}`, { orderId: event.data.orderId, handled: 'PaymentProcessed' });
    note('notification', `PaymentProcessed ${event.data.orderId}`);
  }
}

const handler = new OrderEventHandler();
const notificationBus = await eventBus<ShopEvent>('notification-service');
await notificationBus.subscribe(
  ['OrderCreated', 'PaymentProcessed'],
  async (event) => {
    switch (event.eventType) {
      case 'OrderCreated':
        return handler.handleOrderCreated(event);
      case 'PaymentProcessed':
        return handler.handlePaymentProcessed(event);
    }
  },
  { queue: 'events' },
);

// --- analytics service: deployed later, once the first orders are in --------
async function startAnalytics() {
  const totals = { orders: 0, paidOrders: 0, revenue: 0 };
  const analyticsBus = await eventBus<ShopEvent>('analytics-service');
  await analyticsBus.subscribe(['OrderCreated', 'PaymentProcessed'], (event) => {
    if (event.eventType === 'OrderCreated') totals.orders++;
    else if (event.data.status === 'completed') {
      totals.paidOrders++;
      totals.revenue += event.data.amount;
    }
  });
  return totals;
}

// --- order service -----------------------------------------------------------
const orderEvents = new EventPublisher(await eventBus<ShopEvent>('order-service'));
const newOrders: OrderCreatedEvent['data'][] = [
  { orderId: 'order-1', userId: 'ada', items: [{ productId: 'book', quantity: 1 }], totalAmount: 25 },
  { orderId: 'order-2', userId: 'grace', items: [{ productId: 'lamp', quantity: 1 }], totalAmount: 48 },
  { orderId: 'order-3', userId: 'alan', items: [{ productId: 'chair', quantity: 2 }], totalAmount: 240 },
  { orderId: 'order-4', userId: 'edsger', items: [{ productId: 'pen', quantity: 10 }], totalAmount: 15 },
  { orderId: 'order-5', userId: 'barbara', items: [{ productId: 'desk', quantity: 1 }], totalAmount: 310 },
  { orderId: 'order-6', userId: 'donald', items: [{ productId: 'mug', quantity: 3 }], totalAmount: 27 },
];

export default async function main() {
  const analytics = await startAnalytics(); // subscribed before anything happens: nothing to catch up on
  for (const order of newOrders) {
    await orderEvents.publishEvent({ eventType: 'OrderCreated', data: order });
    await sleep(150);
  }
  await sleep(1000); // let the services finish
  await sleep(500);
  for (const [name, list] of Object.entries(handled)) log.info(`${name} handled ${list.length} events: ${list.join(', ')}`);
  log.info(`analytics: ${analytics.orders} orders, ${analytics.paidOrders} paid, revenue ${analytics.revenue}`, analytics);
  return { handled, storedEvents: store.size, analytics };
}
