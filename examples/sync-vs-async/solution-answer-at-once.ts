// Solution: the asynchronous endpoint answers 202 as soon as the order is
// recorded and its OrderCreated event is confirmed by the broker; the payment
// service starts on that event like every other step.
import { service, http, eventBus, sleep, log, type BusEvent } from 'playground';

// How long each piece of work takes: the card network, the stock system, the mail server.
const CHARGE_MS = 300;
const RESERVE_MS = 200;
const EMAIL_MS = 700;

type Order = { orderId: string; userId: string; items: { productId: string; quantity: number }[]; totalAmount: number };
type OrderEvent =
  | BusEvent<'OrderCreated', Order>
  | BusEvent<'OrderPaid', Order & { paymentId: string }>
  | BusEvent<'InventoryReserved', { orderId: string; userId: string }>
  | BusEvent<'CustomerNotified', { orderId: string }>;

// --- payment service ---------------------------------------------------------
const payments = service('payment-service');
let nextPayment = 1;
async function chargeCard(order: Order): Promise<string> {
  await sleep(CHARGE_MS);
  const paymentId = `pay-${nextPayment++}`;
  payments.log.info(`charged ${order.totalAmount} for ${order.orderId}`, { orderId: order.orderId, paymentId });
  return paymentId;
}
payments.post('/payments', async (req, res) => {
  res.status(201).json({ paymentId: await chargeCard(req.body) });
});

// --- inventory service -------------------------------------------------------
const inventory = service('inventory-service');
async function reserveStock(orderId: string): Promise<void> {
  await sleep(RESERVE_MS);
  inventory.log.info(`reserved stock for ${orderId}`, { orderId });
}
inventory.post('/reservations', async (req, res) => {
  await reserveStock(req.body.orderId);
  res.status(201).json({ orderId: req.body.orderId });
});

// --- notification service ----------------------------------------------------
const notifications = service('notification-service');
async function sendConfirmationEmail(orderId: string, userId: string): Promise<void> {
  await sleep(EMAIL_MS);
  notifications.log.info(`emailed ${userId} about ${orderId}`, { orderId });
}
notifications.post('/emails', async (req, res) => {
  await sendConfirmationEmail(req.body.orderId, req.body.userId);
  res.status(202).json({ queued: true });
});

// --- order service -----------------------------------------------------------
const orders = service('order-service');
const orderStatus = new Map<string, string>();

// Style 1: a synchronous chain. The customer waits for every step.
orders.post('/orders/sync', async (req, res) => {
  const order: Order = req.body;
  orderStatus.set(order.orderId, 'processing');
  await orders.http.post('http://payment-service/payments', order, { timeout: 5000 });
  await orders.http.post('http://inventory-service/reservations', { orderId: order.orderId }, { timeout: 5000 });
  await orders.http.post('http://notification-service/emails', { orderId: order.orderId, userId: order.userId }, { timeout: 5000 });
  orderStatus.set(order.orderId, 'completed');
  res.status(201).json({ orderId: order.orderId, status: 'completed' });
});

// Style 2: accept the order, answer 202, let events carry the rest.
const orderBus = await eventBus<OrderEvent>('order-service');
orders.post('/orders/async', async (req, res) => {
  const order: Order = req.body;
  orderStatus.set(order.orderId, 'processing');
  // Accepting the order needs nobody else: record it, publish the fact, answer.
  await orderBus.publish({ eventType: 'OrderCreated', data: order });
  res.status(202).json({ orderId: order.orderId, status: 'processing', statusUrl: `/orders/${order.orderId}` });
});
orders.get('/orders/:id', (req) => ({ orderId: req.params.id, status: orderStatus.get(req.params.id) ?? 'unknown' }));

// The services react to each other's events. The payment now starts on OrderCreated.
const paymentBus = await eventBus<OrderEvent>('payment-service');
await paymentBus.subscribe('OrderCreated', async (event) => {
  const paymentId = await chargeCard(event.data);
  await paymentBus.publish({ eventType: 'OrderPaid', data: { ...event.data, paymentId } });
});
const inventoryBus = await eventBus<OrderEvent>('inventory-service');
await inventoryBus.subscribe('OrderPaid', async (event) => {
  await reserveStock(event.data.orderId);
  await inventoryBus.publish({ eventType: 'InventoryReserved', data: { orderId: event.data.orderId, userId: event.data.userId } });
});
const notificationBus = await eventBus<OrderEvent>('notification-service');
await notificationBus.subscribe('InventoryReserved', async (event) => {
  await sendConfirmationEmail(event.data.orderId, event.data.userId);
  await notificationBus.publish({ eventType: 'CustomerNotified', data: { orderId: event.data.orderId } });
});
await orderBus.subscribe('CustomerNotified', (event) => {
  orderStatus.set(event.data.orderId, 'completed');
});

// --- the customer's side -----------------------------------------------------
const newOrder = (orderId: string): Order => ({ orderId, userId: 'user-7', items: [{ productId: 'sku-42', quantity: 1 }], totalAmount: 59 });

async function placeOrder(path: string, order: Order) {
  const started = Date.now();
  const response = await http.post(`http://order-service${path}`, order);
  const { status } = response.data as { status: string };
  return { httpStatus: response.status, status, latencyMs: Date.now() - started };
}

/** Asks the order service every 250 ms until the order is completed (at most 5 s). */
async function waitForCompletion(orderId: string, since: number): Promise<number | undefined> {
  for (let i = 0; i < 20; i++) {
    await sleep(250);
    const { data } = await http.get(`http://order-service/orders/${orderId}`);
    if ((data as { status: string }).status === 'completed') return Date.now() - since;
  }
  return undefined;
}

export default async function main() {
  const sync = await placeOrder('/orders/sync', newOrder('order-1'));
  const asyncStart = Date.now();
  const async = await placeOrder('/orders/async', newOrder('order-2'));
  const completedAfterMs = await waitForCompletion('order-2', asyncStart);
  const result = { sync, async: { ...async, completedAfterMs } };
  log.info(`the customer waited ${sync.latencyMs} ms for the synchronous chain and ${async.latencyMs} ms for the 202; that order was completed ${completedAfterMs} ms after it was placed`, result);
  return result;
}
