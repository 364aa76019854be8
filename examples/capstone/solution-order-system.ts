// Reference solution of the capstone. The client gets 202 and a status URL at
// once; the order service runs an orchestrated saga in the background. Payment
// goes through retries, a circuit breaker and a timeout, with one
// Idempotency-Key per order's charge. The inventory and the notifications take
// their work from the event bus, each from queues of its own, and skip copies.
// A declined payment cancels the order; an unknown one or missing stock is
// compensated with a refund (retried until the provider answers) before the
// order is cancelled, so no order is left pending.
//
// Keep the effects(…) calls (place, status, charge, refund, reserve, release):
// the checks read what happened to money, stock and orders from them.
import { service, http, eventBus, effects, sleep, now, log, wrap, retryPolicy, circuitBreaker, timeoutPolicy, exponentialBackoff, httpStatusOf, type BusEvent } from 'playground';

type Item = { sku: string; qty: number };
type Order = { orderId: string; amount: number; items: Item[] };
type Status = 'pending' | 'paid' | 'completed' | 'cancelled';
/** The events of the order system. Use these names: the checks' schedules duplicate them on their queues. */
type OrderEvent =
  | BusEvent<'OrderPaid', Order>
  | BusEvent<'ItemsReserved', { orderId: string }>
  | BusEvent<'ItemsUnavailable', { orderId: string; missing: string[] }>
  | BusEvent<'OrderCompleted', { orderId: string }>
  | BusEvent<'OrderCancelled', { orderId: string; reason: string }>;

// --- payment service: the card provider's API (given: do not change) ---------
// POST /charges { orderId, amount } charges the card. With an `Idempotency-Key`
// header it charges once per key: a repeat gets the first answer (also while
// the first is still running). 402 means declined. POST /refunds { key } refunds
// the charge made with that key; for a key it has not charged (yet) it answers
// 200 and refuses any later charge with that key, so a slow charge cannot land
// after its refund.
const payments = service('payment-service');
const paymentEffects = effects('payment-service');
const CARD_LIMIT = 300;
type Answer = { status: number; body: unknown };
type Charge = { state: 'charging'; answer: Promise<Answer> } | { state: 'done'; answer: Answer; amount: number; orderId: string } | { state: 'refunded' } | { state: 'voided' };
const charges = new Map<string, Charge>();
let nextCharge = 1;

async function chargeCard(key: string, orderId: string, amount: number): Promise<Answer> {
  await sleep(60); // the card network
  if (charges.get(key)?.state === 'voided') return { status: 409, body: { error: 'refunded before it was charged' } };
  if (amount > CARD_LIMIT) return { status: 402, body: { error: `card declined: ${amount} is over the limit of ${CARD_LIMIT}` } };
  paymentEffects.charge(orderId, amount, { messageId: key });
  return { status: 201, body: { chargeId: `ch-${nextCharge++}`, orderId, amount } };
}

payments.post('/charges', async (req, res) => {
  const { orderId, amount } = req.body;
  const key = req.headers['idempotency-key'] ?? `one-off-${nextCharge}-${now()}`; // no key: every request is a new charge
  const known = charges.get(key);
  if (known?.state === 'voided' || known?.state === 'refunded') return res.status(409).json({ error: 'this charge was refunded' });
  if (known) {
    const answer = known.state === 'charging' ? await known.answer : known.answer;
    return res.status(answer.status).json(answer.body);
  }
  const answer = chargeCard(key, orderId, amount);
  charges.set(key, { state: 'charging', answer });
  const done = await answer;
  if (charges.get(key)?.state === 'charging') charges.set(key, { state: 'done', answer: done, amount, orderId });
  res.status(done.status).json(done.body);
});

payments.post('/refunds', async (req, res) => {
  const { key } = req.body;
  const known = charges.get(key);
  if (known?.state === 'charging') await known.answer;
  const now = charges.get(key);
  if (now?.state === 'done' && now.answer.status === 201) {
    await sleep(30); // the card network
    if (charges.get(key) === now) {
      charges.set(key, { state: 'refunded' });
      paymentEffects.refund(now.orderId, now.amount, { messageId: `refund-${key}` });
    }
    return res.json({ refunded: now.amount });
  }
  if (!now || now.state === 'charging') charges.set(key, { state: 'voided' });
  res.json({ refunded: 0 });
});

// --- inventory service --------------------------------------------------------
const inventory = service('inventory-service');
const inventoryEffects = effects('inventory-service');
const stock = new Map<string, number>([['book', 6], ['lamp', 1], ['mug', 4]]);
inventoryEffects.restock([...stock].map(([sku, qty]) => ({ sku, qty })));

/** Reserves every item of an order, or none; the skus it lacks (empty when it reserved them). */
function reserveItems(orderId: string, items: Item[], messageId: string): string[] {
  const missing = items.filter((i) => (stock.get(i.sku) ?? 0) < i.qty).map((i) => i.sku);
  if (missing.length > 0) return missing;
  for (const i of items) stock.set(i.sku, stock.get(i.sku)! - i.qty);
  inventoryEffects.reserve(orderId, items, { messageId });
  return [];
}

// The inventory takes its work from the bus, from a queue of its own
// (inventory-service.OrderPaid), and answers with an event. A copy of an event
// (at-least-once delivery) is skipped by its id: `idempotent: true` claims the
// id before the handler runs.
const inventoryBus = await eventBus<OrderEvent>('inventory-service');
await inventoryBus.subscribe(
  'OrderPaid',
  async (event) => {
    const { orderId, items } = event.data;
    const missing = reserveItems(orderId, items, event.eventId);
    if (missing.length > 0) await inventoryBus.publish({ eventType: 'ItemsUnavailable', data: { orderId, missing } }, { correlationId: orderId });
    else await inventoryBus.publish({ eventType: 'ItemsReserved', data: { orderId } }, { correlationId: orderId });
  },
  { idempotent: true },
);

// --- notification service -----------------------------------------------------
const notification = service('notification-service');

function notify(orderId: string, status: Status) {
  notification.log.info(`email to the customer of ${orderId}: your order is ${status}`, { orderId, status });
}

const notificationBus = await eventBus<OrderEvent>('notification-service');
await notificationBus.subscribe('OrderCompleted', (e) => notify(e.data.orderId, 'completed'), { idempotent: true });
await notificationBus.subscribe('OrderCancelled', (e) => notify(e.data.orderId, 'cancelled'), { idempotent: true });

// --- order service: the saga's orchestrator ------------------------------------------
const orders = service('order-service');
const orderEffects = effects('order-service');
const orderBus = await eventBus<OrderEvent>('order-service');
const statuses = new Map<string, Status>();
const placedOrders = new Map<string, Order>();

function setStatus(orderId: string, status: Status) {
  const was = statuses.get(orderId);
  if (was === status || was === 'completed' || was === 'cancelled') return; // a finished order stays finished
  statuses.set(orderId, status);
  orderEffects.status(orderId, status);
}

// Payment is called through retries (outermost: each attempt goes through the
// breaker), a circuit breaker (a failing provider is left alone for a while),
// and a timeout per attempt. Declines (402) and refusals (409) are answers,
// not failures: neither retried nor counted by the breaker.
const paymentPolicy = wrap(
  retryPolicy({ name: 'payment-retry', maxAttempts: 4, backoff: exponentialBackoff({ initialMs: 200, maxMs: 2000, jitter: 'full' }) }),
  circuitBreaker({ name: 'payment-breaker', policy: { kind: 'consecutive', failureThreshold: 5 }, breakDuration: 2000, halfOpen: { permittedCalls: 1 } }),
  timeoutPolicy({ name: 'payment-timeout', timeoutMs: 1000 }),
);

/** One key per order's charge: the same on every attempt, and what a refund names. */
const chargeKey = (orderId: string) => `charge-${orderId}`;

/** Charges an order: 'paid', 'declined', or 'unknown' when no attempt got an answer. */
async function charge(order: Order): Promise<'paid' | 'declined' | 'unknown'> {
  const headers = { 'Idempotency-Key': chargeKey(order.orderId) };
  try {
    await paymentPolicy.execute(({ signal }) =>
      orders.http.post('http://payment-service/charges', { orderId: order.orderId, amount: order.amount }, { timeout: 1000, headers, signal }),
    );
    return 'paid';
  } catch (error) {
    const status = httpStatusOf(error);
    return status === 402 || status === 409 ? 'declined' : 'unknown';
  }
}

/**
 * The compensation of a charge. It must happen, so it is retried until the
 * provider answers, however long that takes; refunding a key that was never
 * charged is harmless (and stops a slow charge from landing later).
 */
async function refund(orderId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await orders.http.post('http://payment-service/refunds', { key: chargeKey(orderId) }, { timeout: 1000 });
      return;
    } catch (error) {
      orders.log.warn(`refund of ${orderId} failed (attempt ${attempt}), trying again: ${(error as Error).message}`);
      await sleep(Math.min(2000, 200 * 2 ** attempt));
    }
  }
}

async function cancel(orderId: string, reason: string, refundFirst: boolean) {
  if (statuses.get(orderId) === 'cancelled') return;
  if (refundFirst) await refund(orderId);
  setStatus(orderId, 'cancelled');
  await orderBus.publish({ eventType: 'OrderCancelled', data: { orderId, reason } }, { correlationId: orderId });
}

/** The saga of one order, after the client has its 202: pay, then let the inventory reserve. */
async function runSaga(order: Order) {
  const paid = await charge(order);
  if (paid === 'declined') return cancel(order.orderId, 'payment declined', false);
  // Unknown: the charge may have happened. The refund undoes it, or voids the key.
  if (paid === 'unknown') return cancel(order.orderId, 'payment unavailable', true);
  setStatus(order.orderId, 'paid');
  await orderBus.publish({ eventType: 'OrderPaid', data: order }, { correlationId: order.orderId });
}

await orderBus.subscribe(
  'ItemsReserved',
  async (event) => {
    const { orderId } = event.data;
    if (statuses.get(orderId) !== 'paid') return;
    setStatus(orderId, 'completed');
    await orderBus.publish({ eventType: 'OrderCompleted', data: { orderId } }, { correlationId: orderId });
  },
  { idempotent: true },
);
// Out of stock: the compensation, a refund, then the order is cancelled.
await orderBus.subscribe('ItemsUnavailable', (event) => cancel(event.data.orderId, `out of stock: ${event.data.missing.join(', ')}`, true), { idempotent: true });

orders.post('/orders', (req, res) => {
  const order: Order = req.body;
  if (placedOrders.has(order.orderId)) return res.status(202).json({ orderId: order.orderId, statusUrl: `/orders/${order.orderId}` });
  placedOrders.set(order.orderId, order);
  orderEffects.place(order.orderId, order.amount, order.items);
  setStatus(order.orderId, 'pending');
  // Accepted: the client gets where to ask at once; the saga runs on without it.
  res.status(202).json({ orderId: order.orderId, statusUrl: `/orders/${order.orderId}` });
  void runSaga(order);
});

orders.get('/orders/:orderId', (req, res) => {
  const status = statuses.get(req.params.orderId);
  if (!status) return res.status(404).json({ error: 'no such order' });
  res.json({ orderId: req.params.orderId, status });
});

// --- the shop's customers (given) ----------------------------------------------------
const newOrders: Order[] = [
  { orderId: 'order-1', amount: 25, items: [{ sku: 'book', qty: 1 }] },
  { orderId: 'order-2', amount: 480, items: [{ sku: 'mug', qty: 2 }] }, // over the card limit
  { orderId: 'order-3', amount: 60, items: [{ sku: 'lamp', qty: 2 }] }, // only one lamp in stock
  { orderId: 'order-4', amount: 35, items: [{ sku: 'book', qty: 2 }, { sku: 'mug', qty: 1 }] },
  { orderId: 'order-5', amount: 18, items: [{ sku: 'mug', qty: 1 }] },
];

/** Places an order; answers with where to ask about it (a 202's status URL), or with its final status. */
async function placeOrder(order: Order): Promise<{ statusUrl?: string; status?: string }> {
  const res = await http.post('http://order-service/orders', order, { validateStatus: () => true, timeout: 10_000 });
  return res.status === 202 ? { statusUrl: res.data.statusUrl } : { status: res.data.status };
}

export default async function main() {
  const placed: { orderId: string; statusUrl?: string; status?: string }[] = [];
  for (const order of newOrders) {
    placed.push({ orderId: order.orderId, ...(await placeOrder(order)) });
    await sleep(100);
  }
  // Ask about each order until it is finished, for up to 30 s.
  for (const p of placed) {
    while (p.statusUrl && p.status !== 'completed' && p.status !== 'cancelled' && now() < 30_000) {
      await sleep(500);
      const res = await http.get(`http://order-service${p.statusUrl}`, { validateStatus: () => true });
      p.status = res.data.status;
    }
  }
  await sleep(2000); // late messages and requests still land
  const final = Object.fromEntries(placed.map((p) => [p.orderId, p.status ?? 'unknown']));
  log.info(`orders: ${Object.entries(final).map(([id, s]) => `${id} ${s}`).join(', ')}`, final);
  return final;
}
