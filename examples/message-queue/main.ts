// The order service puts one message per new order on a durable queue; the
// notification service takes them one at a time and emails a confirmation.
// One message can never be handled (an old app version forgot the items), and
// the mail provider sometimes answers 503 (see the fault plan). Watch what
// happens to those messages in the Sequence view (the ✖ dropped markers).
import { amqp, broker, service, sleep, log, Buffer, type ConfirmChannel, type Connection } from 'playground';

class MessageQueue {
  private connection!: Connection;
  private channel!: ConfirmChannel;

  constructor(private readonly url: string) {}

  async connect() {
    this.connection = await amqp.connect(this.url);
    this.channel = await this.connection.createConfirmChannel(); // the broker confirms each message it has taken
  }

  async publishMessage(queue: string, message: unknown) {
    await this.channel.assertQueue(queue, { durable: true }); // the queue survives a broker restart
    this.channel.sendToQueue(queue, Buffer.from(JSON.stringify(message)), { persistent: true }); // so does the message
    await this.channel.waitForConfirms(); // resolves once the broker has the message; rejects if it did not take it (then send it again)
  }

  async consumeMessages(queue: string, handler: (message: any) => Promise<void>) {
    await this.channel.assertQueue(queue, { durable: true });
    await this.channel.prefetch(1); // at most one unacknowledged message at a time
    await this.channel.consume(queue, async (msg) => {
      if (!msg) return;
      try {
        const content = JSON.parse(msg.content.toString());
        await handler(content);
        this.channel.ack(msg); // done: the broker may forget it
      } catch (error) {
        console.error(`could not process a message from ${queue}: ${(error as Error).message}`);
        this.channel.nack(msg, false, false); // do not requeue... and then?
      }
    });
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

type OrderCreated = { orderId: string; userId: string; items: { productId: string; quantity: number }[]; totalAmount: number };

async function sendOrderConfirmationEmail(order: OrderCreated) {
  const lines = order.items.map((i) => `${i.quantity} × ${i.productId}`).join(', ');
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

const item = (productId: string, quantity = 1) => ({ productId, quantity });
const newOrders = [
  { orderId: 'order-1', userId: 'ada', items: [item('book')], totalAmount: 25 },
  { orderId: 'order-2', userId: 'grace', items: [item('lamp'), item('bulb', 2)], totalAmount: 48 },
  { orderId: 'order-3', userId: 'alan', items: [item('chair')], totalAmount: 120 },
  { orderId: 'order-4', userId: 'edsger', totalAmount: 12 }, // from an old app version: no items
  { orderId: 'order-5', userId: 'barbara', items: [item('desk')], totalAmount: 310 },
  { orderId: 'order-6', userId: 'donald', items: [item('pen', 10)], totalAmount: 15 },
];

export default async function main() {
  for (const order of newOrders) await orderQueue.publishMessage('order-created', order);
  // Wait until the queue is empty and nothing is in flight.
  const rabbit = broker();
  let stats = rabbit.queueStats('order-created');
  while (stats.ready + stats.unacked > 0) {
    await sleep(100);
    stats = rabbit.queueStats('order-created');
  }
  const { published, acked, deadLettered, dropped } = stats;
  const missing = newOrders.map((o) => o.orderId).filter((id) => !emailed.includes(id));
  log.info(`${emailed.length} of ${newOrders.length} confirmations sent; no confirmation for ${missing.join(', ') || 'none'}`, { published, acked, deadLettered, dropped });
  return { emailed, missing, queue: { published, acked, deadLettered, dropped } };
}
