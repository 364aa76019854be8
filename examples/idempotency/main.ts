// Two ways to charge a customer twice.
// 1. Checkout: the order service pays over HTTP and retries when the payment
//    service does not answer within 1 s. The fault plan makes some requests
//    slow: the first attempt is still being handled when the retry arrives.
// 2. Renewals: the payment service takes subscription renewals from a queue.
//    The fault plan makes it crash now and then after charging and before its
//    ack reached the broker, so the broker delivers the renewal again.
// The last line of the Logs counts the charges per order and per renewal.
import { amqp, broker, service, sleep, log, Buffer, HttpTimeoutError } from 'playground';

// --- payment service -------------------------------------------------------
const payments = service('payment-service');
/** The ledger: every charge ever made. (Do not change how charges are logged: the checks count them.) */
const ledger: { ref: string; amount: number; via: 'http' | 'queue' }[] = [];

async function charge(ref: string, amount: number, via: 'http' | 'queue') {
  await sleep(80); // the card network
  ledger.push({ ref, amount, via });
  payments.log.info(`charged ${amount} for ${ref}`, { ref, amount, via });
  return `ch-${ledger.length}`;
}

payments.post('/payments', async (req, res) => {
  const { orderId, amount } = req.body;
  const chargeId = await charge(orderId, amount, 'http');
  res.status(201).json({ chargeId, orderId, amount });
});

// Renewals arrive on a durable queue, one at a time.
const paymentConnection = await amqp.connect('amqp://payment-service@rabbitmq');
const renewalChannel = await paymentConnection.createChannel();
await renewalChannel.assertQueue('subscription-renewals', { durable: true });
await renewalChannel.prefetch(1);
await renewalChannel.consume('subscription-renewals', async (msg) => {
  if (!msg) return;
  const renewal = JSON.parse(msg.content.toString());
  await charge(renewal.renewalId, renewal.amount, 'queue');
  renewalChannel.ack(msg);
});

// --- order service (the HTTP client) ---------------------------------------
const orders = service('order-service');

/** Pays for an order, trying up to three times when the payment service does not answer within 1 s. */
async function payForOrder(orderId: string, amount: number): Promise<'paid' | 'unknown'> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await orders.http.post('http://payment-service/payments', { orderId, amount }, { timeout: 1000 });
      return 'paid';
    } catch (error) {
      if (!(error instanceof HttpTimeoutError)) throw error;
      orders.log.warn(`payment for ${orderId} timed out (attempt ${attempt})`);
    }
  }
  return 'unknown';
}

// --- billing scheduler (publishes the month's renewals) ---------------------
const billingConnection = await amqp.connect('amqp://billing-scheduler@rabbitmq');
const billingChannel = await billingConnection.createChannel();
await billingChannel.assertQueue('subscription-renewals', { durable: true });

function publishRenewal(renewalId: string, amount: number) {
  billingChannel.sendToQueue('subscription-renewals', Buffer.from(JSON.stringify({ renewalId, amount })), { persistent: true, messageId: renewalId });
}

const chargesPer = (via: 'http' | 'queue') => {
  const count: Record<string, number> = {};
  for (const c of ledger) if (c.via === via) count[c.ref] = (count[c.ref] ?? 0) + 1;
  return count;
};

export default async function main() {
  const checkout: [string, number][] = [['order-1', 40], ['order-2', 25], ['order-3', 99], ['order-4', 60]];
  for (const [orderId, amount] of checkout) await payForOrder(orderId, amount);

  const renewals: [string, number][] = [['renewal-ada-06', 9], ['renewal-alan-06', 9], ['renewal-grace-06', 19], ['renewal-edsger-06', 9], ['renewal-barbara-06', 19]];
  for (const [renewalId, amount] of renewals) publishRenewal(renewalId, amount);
  // Wait until every renewal is acknowledged.
  while (broker().queueStats('subscription-renewals').acked < renewals.length) await sleep(100);
  await sleep(2000); // late, slow requests still land during this time

  const due = [...checkout, ...renewals].reduce((sum, [, amount]) => sum + amount, 0);
  const charged = ledger.reduce((sum, c) => sum + c.amount, 0);
  const result = { chargesPerOrder: chargesPer('http'), chargesPerRenewal: chargesPer('queue'), due, charged };
  log.info(`customers owed ${due} and were charged ${charged}`, result);
  return result;
}
