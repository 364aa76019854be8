// Cheat: the handled table is keyed by order id instead of event id, as if an
// order could only ever have one event. order-2's cancellation is then taken
// for a repeat of its creation and ignored, and order-5's early cancellation
// releases stock it never held.
// rejected by: each-order-holds-what-it-should
import { amqp, serviceProcess, outbox, eventBus, sleep, now, log, type BusEvent, type Connection, type OutboxTransaction } from 'playground';

type Line = { orderId: string; sku: string; quantity: number };
type OrderCreated = BusEvent<'OrderCreated', Line>;
type OrderCancelled = BusEvent<'OrderCancelled', Line>;
type OrderEvent = OrderCreated | OrderCancelled;

const QUEUE = 'inventory.order-events';
const INITIAL_STOCK: Record<string, number> = { 'sku-1': 20, 'sku-2': 20 };

// --- inventory service -----------------------------------------------------------
const proc = serviceProcess('inventory-service');
const inventory = proc.service;

/** The inventory's database (tables changed in transactions); it survives a crash of the process. */
const db = outbox('inventory-service');
await db.transaction((tx) => {
  for (const [sku, units] of Object.entries(INITIAL_STOCK)) tx.set('stock', sku, units);
});
/** The database is one network hop away: each way takes this long. */
const DB_HOP_MS = 10;

/** Runs `work` in one transaction of the database and waits for the acknowledgement. */
async function commit<T>(work: (tx: OutboxTransaction) => T): Promise<T> {
  await proc.sleep(DB_HOP_MS); // the statements travel to the database…
  const result = await db.transaction(work); // …which commits them…
  await proc.sleep(DB_HOP_MS); // …and the acknowledgement travels back
  return result;
}

// Each change of stock is logged inside its transaction, so a log line stands
// for a committed change. (Keep these lines: the checks count them.)
function reserve(tx: OutboxTransaction, { orderId, sku, quantity }: Line) {
  tx.set('stock', sku, (tx.get<number>('stock', sku) ?? 0) - quantity);
  tx.set('reservations', orderId, { sku, quantity });
  inventory.log.info(`reserved ${quantity} × ${sku} for ${orderId}`, { orderId, change: 'reserve', sku, quantity });
}
function release(tx: OutboxTransaction, { orderId, sku, quantity }: Line) {
  tx.set('stock', sku, (tx.get<number>('stock', sku) ?? 0) + quantity);
  tx.delete('reservations', orderId);
  inventory.log.info(`released ${quantity} × ${sku} for ${orderId}`, { orderId, change: 'release', sku, quantity });
}

async function handle(event: OrderEvent) {
  await commit((tx) => {
    // One row per handled event, keyed by its id: in SQL a table with the id as primary key,
    // written with INSERT … ON CONFLICT DO NOTHING. In the same transaction as the change,
    // so that both are committed or neither is.
    if (tx.get('handled-events', event.data.orderId)) {
      inventory.log.info(`${event.eventType} ${event.eventId} (${event.data.orderId}) was handled already: acknowledged, nothing changed`, { orderId: event.data.orderId });
      return;
    }
    // The time is kept for the clean-up job that deletes rows older than any duplicate can be.
    tx.set('handled-events', event.data.orderId, { type: event.eventType, handledAt: now() });
    if (event.eventType === 'OrderCreated') reserve(tx, event.data);
    else release(tx, event.data);
  });
}

// The consuming process. A crash ends what it was awaiting through `proc`, and
// everything onStart built (connection, consumer, any Map or Set) is gone.
let connection: Connection | undefined;
proc.onStart(async () => {
  await connection?.close(); // the crashed process's connection: the broker requeues what it had not acked
  connection = await amqp.connect('amqp://inventory-service@rabbitmq');
  const channel = await connection.createChannel();
  await channel.assertExchange('events', 'topic', { durable: true });
  await channel.assertQueue(QUEUE, { durable: true });
  await channel.bindQueue(QUEUE, 'events', 'OrderCreated');
  await channel.bindQueue(QUEUE, 'events', 'OrderCancelled');
  await channel.prefetch(1);
  await channel.consume(QUEUE, async (msg) => {
    if (!msg) return;
    await handle(JSON.parse(msg.content.toString()) as OrderEvent);
    channel.ack(msg);
  });
});

// --- order service: its outbox relay publishes once a second ---------------------
const orderBus = await eventBus<OrderEvent>('order-service');
const unpublished: Line[] = [];
const relay = setInterval(async () => {
  while (unpublished.length > 0) await orderBus.publish({ eventType: 'OrderCreated', data: unpublished.shift()! });
}, 1000);

// --- support desk: cancels at once ------------------------------------------------
const supportBus = await eventBus<OrderEvent>('support-desk');
const cancel = (line: Line) => supportBus.publish({ eventType: 'OrderCancelled', data: line });

// --- a day at the shop ------------------------------------------------------------
const line = (n: number): Line => ({ orderId: `order-${n}`, sku: n % 2 ? 'sku-1' : 'sku-2', quantity: n });

export default async function main() {
  for (let n = 1; n <= 4; n++) {
    unpublished.push(line(n));
    await sleep(200);
  }
  await sleep(700); // the relay publishes orders 1-4 at 1 s
  await cancel(line(2));
  await sleep(100);
  await cancel(line(2)); // the agent clicked twice
  unpublished.push(line(5), line(6)); // order-5 and order-6 are created…
  await sleep(300);
  await cancel(line(5)); // …and order-5 is cancelled before the relay publishes it at 2 s
  await sleep(2000);
  clearInterval(relay);

  const stock = Object.fromEntries(db.rows<number>('stock'));
  const reservations = Object.fromEntries(db.rows<Line>('reservations').map(([orderId, r]) => [orderId, r.quantity]));
  const cancelled = ['order-2', 'order-5'];
  const expected = Object.fromEntries(
    Object.entries(INITIAL_STOCK).map(([sku, units]) => [sku, units - [1, 2, 3, 4, 5, 6].map(line).filter((l) => l.sku === sku && !cancelled.includes(l.orderId)).reduce((sum, l) => sum + l.quantity, 0)]),
  );
  log.info(`stock ${JSON.stringify(stock)}, expected ${JSON.stringify(expected)}; reservations ${JSON.stringify(reservations)}`, { stock, expected, reservations });
  return { stock, expected, reservations };
}
