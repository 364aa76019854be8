// Solution (HTTP): the client makes one Idempotency-Key per payment, before
// the first attempt, and sends it with every attempt. The payment service
// keeps each key with the response it gave: a retry gets that response
// replayed instead of a second charge, and a retry that arrives while the
// first attempt is still running waits for it. order-2's second payment has a
// key of its own, so it is charged too.
import { amqp, broker, service, serviceProcess, durableStore, sleep, now, uuid, log, Buffer, HttpTimeoutError, type Connection } from 'playground';

// --- payment service -------------------------------------------------------
const payments = service('payment-service');
/** The card network's books: every charge ever made. (Do not change how charges are logged: the checks count them.) */
const ledger: { ref: string; amount: number; via: 'http' | 'queue' }[] = [];

async function charge(ref: string, amount: number, via: 'http' | 'queue') {
  await sleep(80); // the card network
  ledger.push({ ref, amount, via });
  payments.log.info(`charged ${amount} for ${ref}`, { ref, amount, via });
  return `ch-${ledger.length}`;
}

type Answer = { status: number; body: unknown };
/** The service's database table of keys: the request each key came with, and the answer once there is one. */
const idempotencyKeys = durableStore<{ request: string; answer?: Answer }>('idempotency-keys');
/** Requests still running, by key (they die with the process, so memory is the right place). */
const running = new Map<string, Promise<Answer>>();

async function pay(orderId: string, amount: number): Promise<Answer> {
  const chargeId = await charge(orderId, amount, 'http');
  return { status: 201, body: { chargeId, orderId, amount } };
}

payments.post('/payments', async (req, res) => {
  const key = req.headers['idempotency-key'];
  if (!key) return res.status(400).json({ error: 'an Idempotency-Key header is required' });
  const request = JSON.stringify(req.body);
  const known = idempotencyKeys.get(key);
  if (known && known.request !== request) return res.status(422).json({ error: 'this Idempotency-Key was used for another request' });
  if (known?.answer) return res.status(known.answer.status).json(known.answer.body); // done before: the same answer, no second charge
  const first = running.get(key);
  if (first) {
    const answer = await first; // the first attempt is still running: wait for its answer
    return res.status(answer.status).json(answer.body);
  }
  idempotencyKeys.set(key, { request });
  const work = pay(req.body.orderId, req.body.amount);
  running.set(key, work);
  try {
    const answer = await work;
    idempotencyKeys.set(key, { request, answer });
    res.status(answer.status).json(answer.body);
  } finally {
    running.delete(key);
  }
});

// The process that takes renewals off the queue. A crash ends whatever it was
// awaiting through `proc` (that await never returns), and everything onStart
// built is gone; onStart runs again when the process comes back.
const proc = serviceProcess('payment-service');
let renewalConnection: Connection | undefined;

proc.onStart(async () => {
  // The connection of the process that crashed died with it: the broker puts
  // back what it had delivered there and not seen acknowledged.
  await renewalConnection?.close();
  renewalConnection = await amqp.connect('amqp://payment-service@rabbitmq');
  const channel = await renewalConnection.createChannel();
  await channel.assertQueue('subscription-renewals', { durable: true });
  await channel.prefetch(1);
  await channel.consume('subscription-renewals', async (msg) => {
    if (!msg) return;
    const renewal = JSON.parse(msg.content.toString());
    await proc.guard(charge(renewal.renewalId, renewal.amount, 'queue'));
    await proc.http.post('http://email-service/receipts', { to: renewal.renewalId, amount: renewal.amount }); // the receipt
    channel.ack(msg);
  });
});

// --- email service (sends the receipts) -------------------------------------
const email = service('email-service');
email.post('/receipts', async (_req, res) => {
  await sleep(40);
  res.status(202).json({ queued: true });
});

// --- order service (the HTTP client) ---------------------------------------
const orders = service('order-service');

/** Pays for an order, trying up to three times when the payment service does not answer within 1 s. */
async function payForOrder(orderId: string, amount: number): Promise<'paid' | 'unknown'> {
  // One key per payment, made before the first attempt and the same on every attempt.
  const headers = { 'Idempotency-Key': uuid() };
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await orders.http.post('http://payment-service/payments', { orderId, amount }, { timeout: 1000, headers });
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

/** Charges per payment (order and amount) or per renewal. */
const chargesPer = (via: 'http' | 'queue') => {
  const count: Record<string, number> = {};
  for (const c of ledger) {
    if (c.via !== via) continue;
    const what = via === 'http' ? `${c.ref} (${c.amount})` : c.ref;
    count[what] = (count[what] ?? 0) + 1;
  }
  return count;
};

/** When the month's billing run starts (checkout is long over by then). */
const BILLING_RUN_AT = 20_000;

export default async function main() {
  // The customer of order-2 adds gift wrapping later: a second payment for the same order.
  const checkout: [string, number][] = [['order-1', 40], ['order-2', 25], ['order-3', 99], ['order-4', 60], ['order-2', 15]];
  for (const [orderId, amount] of checkout) await payForOrder(orderId, amount);

  await sleep(BILLING_RUN_AT - now());
  const renewals: [string, number][] = [['renewal-ada-06', 9], ['renewal-alan-06', 9], ['renewal-grace-06', 19], ['renewal-edsger-06', 9], ['renewal-barbara-06', 19]];
  for (const [renewalId, amount] of renewals) publishRenewal(renewalId, amount);
  // Wait until every renewal is acknowledged.
  while (broker().queueStats('subscription-renewals').acked < renewals.length) await sleep(100);
  await sleep(2000); // late, slow requests still land during this time

  const due = [...checkout, ...renewals].reduce((sum, [, amount]) => sum + amount, 0);
  const charged = ledger.reduce((sum, c) => sum + c.amount, 0);
  const result = { chargesPerPayment: chargesPer('http'), chargesPerRenewal: chargesPer('queue'), due, charged };
  log.info(`customers owed ${due} and were charged ${charged}`, result);
  return result;
}
