// Cheat: the queue has no delivery limit, so a failing message is requeued
// over and over; only a count kept in the consumer ends it (13 deliveries of
// the poison message). The broker never stops it, and a message that crashed
// the consumer would loop for ever.
// rejected by: poison-delivery-limit
import { amqp, broker, service, sleep, log, Buffer, type ConfirmChannel, type Connection } from 'playground';

/** How often the consumer requeues a failing message before it gives up on it itself. */
const GIVE_UP_AFTER = 12;

class MessageQueue {
  private connection!: Connection;
  private channel!: ConfirmChannel;

  constructor(private readonly url: string) {}

  async connect() {
    this.connection = await amqp.connect(this.url);
    this.channel = await this.connection.createConfirmChannel(); // the broker confirms each message it has taken
  }

  /** The queue (a quorum queue with a delivery limit), its dead-letter exchange and its dead-letter queue `<queue>.dlq`. */
  private async assertQueue(queue: string) {
    await this.channel.assertExchange('dead-letters', 'direct', { durable: true });
    await this.channel.assertQueue(`${queue}.dlq`, { durable: true });
    await this.channel.bindQueue(`${queue}.dlq`, 'dead-letters', queue);
    await this.channel.assertQueue(queue, {
      durable: true,
      deadLetterExchange: 'dead-letters',
      deadLetterRoutingKey: queue,
      arguments: { 'x-queue-type': 'quorum' }, // no delivery limit: the broker never stops a message
    });
  }

  async publishMessage(queue: string, message: unknown) {
    await this.assertQueue(queue); // the queue survives a broker restart
    this.channel.sendToQueue(queue, Buffer.from(JSON.stringify(message)), { persistent: true }); // so does the message
    await this.channel.waitForConfirms(); // resolves once the broker has the message; rejects if it did not take it (then send it again)
  }

  async consumeMessages(queue: string, handler: (message: any) => Promise<void>) {
    await this.assertQueue(queue);
    await this.channel.prefetch(1); // at most one unacknowledged message at a time
    await this.channel.consume(queue, async (msg) => {
      if (!msg) return;
      try {
        const content = JSON.parse(msg.content.toString());
        await handler(content);
        this.channel.ack(msg); // done: the broker may forget it
      } catch (error) {
        const returns = msg.properties.headers['x-delivery-count'] ?? 0;
        console.error(`could not process a message from ${queue} (returned ${returns} time(s) before): ${(error as Error).message}`);
        if (returns < GIVE_UP_AFTER) this.channel.nack(msg, false, true); // again, and again, and again...
        else this.channel.nack(msg, false, false); // ...until the consumer gives up itself
      }
    });
  }

  /** Moves every message of `from` back to `to`: sent again and confirmed first, then acked where it was. */
  async redrive(from: string, to: string): Promise<number> {
    let moved = 0;
    for (let msg = await this.channel.get(from); msg; msg = await this.channel.get(from)) {
      this.channel.sendToQueue(to, msg.content, { persistent: true, headers: msg.properties.headers }); // x-death keeps its history
      await this.channel.waitForConfirms(); // back in `to`...
      this.channel.ack(msg); // ...so it may leave the dead-letter queue
      moved++;
    }
    return moved;
  }
}

// --- email provider (outside our system; it fails now and then) -------------
const emailProvider = service('email-provider');
emailProvider.post('/send', async (req, res) => {
  await sleep(120);
  res.status(202).json({ to: req.body.to, accepted: true });
});

// --- notification service ------------------------------------------------------
const notifications = service('notification-service');
const emailed: string[] = [];
/** Version 2 reads orders of the old app version too; it is deployed once the incident is understood (see main). */
let notificationVersion = 1;

type OrderCreated = { orderId: string; userId: string; items?: { productId: string; quantity: number }[]; totalAmount: number };

function orderLines(order: OrderCreated): string {
  if (notificationVersion === 1) return order.items!.map((i) => `${i.quantity} × ${i.productId}`).join(', '); // throws on an order without items
  return order.items ? order.items.map((i) => `${i.quantity} × ${i.productId}`).join(', ') : `total ${order.totalAmount}`;
}

async function sendOrderConfirmationEmail(order: OrderCreated) {
  const lines = orderLines(order);
  await notifications.http.post('http://email-provider/send', { to: order.userId, subject: `Order ${order.orderId}`, body: lines }, { timeout: 2000 });
  emailed.push(order.orderId);
  notifications.log.info(`confirmation sent for ${order.orderId}`, { orderId: order.orderId });
}

const notificationQueue = new MessageQueue('amqp://notification-service@rabbitmq');
await notificationQueue.connect();
await notificationQueue.consumeMessages('order-created', sendOrderConfirmationEmail);

// --- order service -------------------------------------------------------------
const orderQueue = new MessageQueue('amqp://order-service@rabbitmq');
await orderQueue.connect();

// --- operations: moves dead letters back once their cause is fixed -------------
const operations = new MessageQueue('amqp://operations@rabbitmq');
await operations.connect();

const item = (productId: string, quantity = 1) => ({ productId, quantity });
const newOrders = [
  { orderId: 'order-1', userId: 'ada', items: [item('book')], totalAmount: 25 },
  { orderId: 'order-2', userId: 'grace', items: [item('lamp'), item('bulb', 2)], totalAmount: 48 },
  { orderId: 'order-3', userId: 'alan', items: [item('chair')], totalAmount: 120 },
  { orderId: 'order-4', userId: 'edsger', totalAmount: 12 }, // from an old app version: no items
  { orderId: 'order-5', userId: 'barbara', items: [item('desk')], totalAmount: 310 },
  { orderId: 'order-6', userId: 'donald', items: [item('pen', 10)], totalAmount: 15 },
];

/** Waits until the queue is empty and nothing is in flight. */
async function drained(queue: string) {
  const rabbit = broker();
  while (rabbit.queueStats(queue).ready + rabbit.queueStats(queue).unacked > 0) await sleep(100);
  return rabbit.queueStats(queue);
}

export default async function main() {
  for (const order of newOrders) await orderQueue.publishMessage('order-created', order);
  await drained('order-created');
  // The incident: order-4 waits in the dead-letter queue. Deploy the fix, then redrive.
  notificationVersion = 2;
  const redriven = await operations.redrive('order-created.dlq', 'order-created');
  const { published, acked, deadLettered, dropped } = await drained('order-created');
  const missing = newOrders.map((o) => o.orderId).filter((id) => !emailed.includes(id));
  log.info(`${emailed.length} of ${newOrders.length} confirmations sent (${redriven} redriven); no confirmation for ${missing.join(', ') || 'none'}`, { published, acked, deadLettered, dropped });
  return { emailed, missing, redriven, queue: { published, acked, deadLettered, dropped } };
}
