// Reference solution: the outbox of the first exercise, with a relay that
// crashes now and then after the broker confirmed an event and before it
// marked the row sent (as relays do). After its restart it publishes that
// event again, with the same eventId. The warehouse is an idempotent
// consumer: it keeps the ids of the events it has handled in its database and
// acknowledges a repeat without shipping again.
import { service, serviceProcess, outbox, OutboxRelay, eventBus, durableStore, http, sleep, log, type BusEvent, type OutboxTransaction } from 'playground';

type Order = { orderId: string; sku: string; quantity: number };
type OrderPlaced = BusEvent<'OrderPlaced', Order>;

// --- order service ------------------------------------------------------------
// Its process crashes in the fault plan's down window and restarts after it:
// an await through `proc` that spans the crash never returns.
const proc = serviceProcess('order-service');
const orders = proc.service;

/**
 * The order service's database: tables changed in transactions. (It is the
 * playground's `outbox()`, which can also hold outgoing events; see the lesson.)
 */
const db = outbox<OrderPlaced>('order-service');
/** The database is one network hop away: each way takes this long. */
const DB_HOP_MS = 10;

/** Runs `work` in one transaction of the database and waits for the acknowledgement. */
async function commit<T>(work: (tx: OutboxTransaction<OrderPlaced>) => T): Promise<T> {
  await proc.sleep(DB_HOP_MS); // the statements travel to the database…
  const result = await db.transaction(work); // …which commits them…
  await proc.sleep(DB_HOP_MS); // …and the acknowledgement travels back
  return result;
}

const bus = await eventBus<OrderPlaced>('order-service');
// The relay runs beside the service, as a process of its own: it reads the
// outbox table, publishes oldest first, and marks each row once confirmed.
// (A relay inside the service's process would do the same after a restart:
// whatever is still unmarked in the table is published then.)
new OutboxRelay(db, bus, { crashAfterPublishRate: 0.3 }).start();

orders.post('/orders', async (req, res) => {
  const order: Order = req.body;
  // The order and the event that announces it, in one transaction: both or neither.
  await commit((tx) => {
    tx.set('orders', order.orderId, { ...order, status: 'placed' });
    tx.publish({ eventType: 'OrderPlaced', data: order });
  });
  res.status(201).json({ orderId: order.orderId, status: 'placed' });
});

// --- warehouse ------------------------------------------------------------------
const warehouse = service('warehouse-service');
/** Every shipment, in order (the same order twice means a parcel too many). */
const shipments: string[] = [];
const warehouseBus = await eventBus<OrderPlaced>('warehouse-service');
/** The warehouse's table of handled events (its database: it outlives a crash of the warehouse). */
const handledEvents = durableStore<{ orderId: string }>('warehouse-handled-events');
await warehouseBus.subscribe('OrderPlaced', async (event) => {
  const order = event.data;
  await sleep(30); // picks and packs
  // The event id, not the broker's delivery: the relay's repeat is a new publish of the same event.
  // No await between the look-up, the record and the shipment: they happen as one step (in a real
  // database, one transaction), so neither a crash nor a second copy can come in between.
  if (handledEvents.has(event.eventId)) {
    warehouse.log.info(`${order.orderId}: event ${event.eventId} was handled already; not shipping again`, { orderId: order.orderId, eventId: event.eventId });
    return; // acknowledged by the bus
  }
  handledEvents.set(event.eventId, { orderId: order.orderId });
  shipments.push(order.orderId);
  warehouse.log.info(`shipped ${order.quantity} × ${order.sku} for ${order.orderId}`, { orderId: order.orderId, eventId: event.eventId });
});

// --- customers ------------------------------------------------------------------
export default async function main() {
  const told: Record<string, number | string> = {};
  for (let i = 1; i <= 6; i++) {
    const order: Order = { orderId: `order-${i}`, sku: `sku-${(i % 3) + 1}`, quantity: i };
    try {
      const { status } = await http.post('http://order-service/orders', order, { timeout: 1000 });
      told[order.orderId] = status;
    } catch (error) {
      told[order.orderId] = (error as Error).message; // the customer sees an error page
    }
    await sleep(300);
  }
  await sleep(3000); // let everything in flight land

  const saved = db.rows('orders').map(([orderId]) => orderId);
  const shipped = [...shipments];
  const neverShipped = saved.filter((id) => !shipped.includes(id));
  log.info(`${saved.length} orders saved, ${shipped.length} shipments; saved but never shipped: ${neverShipped.join(', ') || 'none'}`, { saved, shipped });
  return { told, saved, shipped };
}

