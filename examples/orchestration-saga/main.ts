// An orchestrated saga: one service, the order orchestrator, runs the steps of
// each order one after the other and undoes them when a step fails.
//
//   create-order → charge-payment → reserve-items → complete-order
//
// The orchestrator runs as a process that can crash: the fault plan takes
// order-orchestrator down for a while. What its process keeps in variables is
// gone when it crashes; `proc.onStart` runs again when it comes back. Calls
// made through `proc.http` never return to a process that crashed meanwhile.
//
// `saga` records each step and compensation in the trace (the Sequence view
// draws compensations in their own style), and the services record what they
// do to money and stock with effects(…): that is what the Checks read.
import { service, serviceProcess, sagaTrace, effects, http, sleep, log } from 'playground';

type Item = { sku: string; qty: number };
type Order = { orderId: string; amount: number; items: Item[] };

// --- order service -----------------------------------------------------------
const orderService = service('order-service');
const orderEffects = effects('order-service');
const orders = new Map<string, Order & { status: string }>();

orderService.post('/orders', (req, res) => {
  const order = req.body as Order;
  if (!orders.has(order.orderId)) {
    orders.set(order.orderId, { ...order, status: 'pending' });
    orderEffects.place(order.orderId, order.amount, order.items);
    orderEffects.status(order.orderId, 'pending');
  }
  res.status(201).json(orders.get(order.orderId));
});
orderService.post('/orders/:id/complete', (req, res) => setStatus(req.params.id!, 'completed', res));
orderService.post('/orders/:id/cancel', (req, res) => setStatus(req.params.id!, 'cancelled', res));

function setStatus(orderId: string, status: string, res: { json(body: unknown): void }) {
  const order = orders.get(orderId);
  if (order && order.status === 'pending') {
    order.status = status;
    orderEffects.status(orderId, status);
  }
  res.json(order ?? { orderId, status: 'unknown' });
}

// --- payment service ---------------------------------------------------------
const paymentService = service('payment-service');
const paymentEffects = effects('payment-service');
const CARD_LIMIT = 300;
const payments = new Map<string, { paymentId: string; amount: number }>();

paymentService.post('/payments', async (req, res) => {
  const { orderId, amount } = req.body as { orderId: string; amount: number };
  await sleep(50); // the card network
  const known = payments.get(orderId); // one payment per order: asking again is harmless
  if (known) return res.json(known);
  if (amount > CARD_LIMIT) return res.status(402).json({ error: `card declined: ${amount} is over the limit` });
  const payment = { paymentId: `pay-${payments.size + 1}`, amount };
  payments.set(orderId, payment);
  paymentEffects.charge(orderId, amount);
  res.status(201).json(payment);
});
// The payment service trusts the orchestrator: it refunds what it is asked to.
// A compensation may be asked for again (a retry, a resumed saga), so a refund
// is made once per order; asking again gets the first answer.
const refunds = new Map<string, number>();
paymentService.post('/payments/:orderId/refund', (req, res) => {
  const orderId = req.params.orderId!;
  const refunded = refunds.get(orderId);
  if (refunded !== undefined) return res.json({ refunded }); // asked again: no second refund
  const { amount } = req.body as { amount: number };
  refunds.set(orderId, amount);
  paymentEffects.refund(orderId, amount);
  res.json({ refunded: amount });
});

// --- inventory service -------------------------------------------------------
const inventoryService = service('inventory-service');
const inventoryEffects = effects('inventory-service');
const stock = new Map<string, number>([['book', 6], ['lamp', 1], ['mug', 4]]);
inventoryEffects.restock([...stock].map(([sku, qty]) => ({ sku, qty })));
const reservations = new Set<string>();

inventoryService.post('/reservations', async (req, res) => {
  const { orderId, items } = req.body as { orderId: string; items: Item[] };
  await sleep(20);
  if (reservations.has(orderId)) return res.json({ orderId, reserved: true }); // asking again is harmless
  if (items.some((i) => (stock.get(i.sku) ?? 0) < i.qty)) return res.status(409).json({ error: 'out of stock' });
  for (const i of items) stock.set(i.sku, stock.get(i.sku)! - i.qty);
  reservations.add(orderId);
  inventoryEffects.reserve(orderId, items);
  res.status(201).json({ orderId, reserved: true });
});
// The inventory trusts the orchestrator too: it puts back what it is told to,
// once per order (a repeated release changes nothing).
const released = new Set<string>();
inventoryService.post('/reservations/:orderId/release', (req, res) => {
  const orderId = req.params.orderId!;
  if (released.has(orderId)) return res.json({ released: true }); // asked again: nothing more to put back
  const { items } = req.body as { items: Item[] };
  released.add(orderId);
  for (const i of items) stock.set(i.sku, (stock.get(i.sku) ?? 0) + i.qty);
  reservations.delete(orderId);
  inventoryEffects.release(orderId, items);
  res.json({ released: true });
});

// --- the order orchestrator ----------------------------------------------------
const proc = serviceProcess('order-orchestrator');
const saga = sagaTrace('order-orchestrator', 'create-order');
const STEPS = ['create-order', 'charge-payment', 'reserve-items', 'complete-order'];
const SERVICE_OF: Record<string, string> = {
  'create-order': 'order-service',
  'charge-payment': 'payment-service',
  'reserve-items': 'inventory-service',
  'complete-order': 'order-service',
};

class OrderSagaOrchestrator {
  /** Which steps of each saga completed. In memory: lost when the process crashes. */
  private sagaState = new Map<string, string[]>();

  async execute(order: Order) {
    const sagaId = `saga-${order.orderId}`;
    this.sagaState.set(sagaId, []);
    saga.started(sagaId, STEPS);
    try {
      for (const step of STEPS) {
        await this.runStep(sagaId, step, order);
        this.saveSagaState(sagaId, step);
      }
      saga.finished(sagaId, 'completed');
    } catch (error) {
      await this.compensate(sagaId, order);
      saga.finished(sagaId, 'compensated');
    }
  }

  private async runStep(sagaId: string, step: string, order: Order) {
    const ref = { step, service: SERVICE_OF[step]! };
    saga.step(sagaId, ref);
    try {
      await this.call(step, order);
      saga.stepDone(sagaId, ref);
    } catch (error) {
      saga.stepFailed(sagaId, ref, (error as Error).message);
      throw error;
    }
  }

  private call(step: string, order: Order) {
    const { orderId, amount, items } = order;
    switch (step) {
      case 'create-order':
        return proc.http.post('http://order-service/orders', order);
      case 'charge-payment':
        return proc.http.post('http://payment-service/payments', { orderId, amount });
      case 'reserve-items':
        return proc.http.post('http://inventory-service/reservations', { orderId, items });
      default:
        return proc.http.post(`http://order-service/orders/${orderId}/complete`);
    }
  }

  private saveSagaState(sagaId: string, step: string) {
    this.sagaState.get(sagaId)!.push(step);
  }

  // Undo everything, to be on the safe side.
  private async compensate(sagaId: string, order: Order) {
    const { orderId, amount, items } = order;
    await this.undo(sagaId, 'create-order', () => proc.http.post(`http://order-service/orders/${orderId}/cancel`));
    await this.undo(sagaId, 'charge-payment', () => proc.http.post(`http://payment-service/payments/${orderId}/refund`, { amount }));
    await this.undo(sagaId, 'reserve-items', () => proc.http.post(`http://inventory-service/reservations/${orderId}/release`, { items }));
  }

  private async undo(sagaId: string, step: string, call: () => Promise<unknown>) {
    const ref = { step, service: SERVICE_OF[step]! };
    saga.compensation(sagaId, ref);
    await call();
    saga.compensationDone(sagaId, ref);
  }
}

// Everything the process keeps in memory is made at each start.
let orchestrator = new OrderSagaOrchestrator();
proc.onStart(() => {
  orchestrator = new OrderSagaOrchestrator();
});

proc.service.post('/orders', (req, res) => {
  const order = req.body as Order;
  void orchestrator.execute(order); // the saga runs on; the client gets its answer now
  res.status(202).json({ sagaId: `saga-${order.orderId}` });
});

// --- the shop ----------------------------------------------------------------
const newOrders: Order[] = [
  { orderId: 'order-1', amount: 40, items: [{ sku: 'book', qty: 1 }] },
  { orderId: 'order-2', amount: 480, items: [{ sku: 'mug', qty: 2 }] }, // over the card limit
  { orderId: 'order-3', amount: 35, items: [{ sku: 'book', qty: 2 }, { sku: 'mug', qty: 1 }] },
  { orderId: 'order-4', amount: 60, items: [{ sku: 'lamp', qty: 2 }] }, // only one lamp in stock
  { orderId: 'order-5', amount: 18, items: [{ sku: 'mug', qty: 1 }] },
];

async function placeOrder(order: Order) {
  for (;;) {
    try {
      await http.post('http://order-orchestrator/orders', order, { timeout: 1000 });
      return;
    } catch (error) {
      log.warn(`${order.orderId}: the orchestrator does not answer (${(error as Error).message}); trying again in 500 ms`);
      await sleep(500);
    }
  }
}

export default async function main() {
  for (const order of newOrders) {
    await placeOrder(order);
    await sleep(100);
  }
  await sleep(3000); // let the sagas finish
  const statuses = Object.fromEntries([...orders.values()].map((o) => [o.orderId, o.status]));
  log.info(`orders: ${Object.entries(statuses).map(([id, s]) => `${id} ${s}`).join(', ')}; stock: ${[...stock].map(([s, q]) => `${q} ${s}`).join(', ')}`, { statuses, stock: Object.fromEntries(stock) });
  return { statuses, stock: Object.fromEntries(stock) };
}
