// Solution: the payment service also remembers the payments still running.
// A retry that arrives while its first attempt is still being charged (the
// first attempt was slow, the retry fast) finds the key among them and waits
// for that attempt's answer instead of charging again. Finished answers stay in
// the durable table; running ones live in memory, since they die with the
// process anyway.
import { service, sleep, uuid, log, durableStore, HttpTimeoutError } from 'playground';

// --- payment service -------------------------------------------------------
const payments = service('payment-service');
/** The card network's books: every charge ever made. (Do not change how charges are logged: the checks count them.) */
const ledger: { ref: string; amount: number }[] = [];

async function charge(ref: string, amount: number) {
  await sleep(80); // the card network
  ledger.push({ ref, amount });
  payments.log.info(`charged ${amount} for ${ref}`, { ref, amount, via: 'http' });
  return `ch-${ledger.length}`;
}

type Answer = { status: number; body: unknown };
/** The service's database table of keys, with the request each came with and the answer it got. */
const idempotencyKeys = durableStore<{ request: string; answer: Answer }>('idempotency-keys');

/** Payments still running, by key. A retry that overtakes its first attempt must find it here. */
const running = new Map<string, Promise<Answer>>();

async function pay(orderId: string, amount: number): Promise<Answer> {
  const chargeId = await charge(orderId, amount);
  return { status: 201, body: { chargeId, orderId, amount } };
}

payments.post('/payments', async (req, res) => {
  const key = req.headers['idempotency-key'];
  if (!key) return res.status(400).json({ error: 'an Idempotency-Key header is required' });
  const request = JSON.stringify(req.body);
  const known = idempotencyKeys.get(key);
  if (known && known.request !== request) return res.status(422).json({ error: 'this Idempotency-Key was used for another request' });
  if (known) return res.status(known.answer.status).json(known.answer.body); // answered before: the same answer, no second charge
  const first = running.get(key);
  if (first) {
    const answer = await first; // the first attempt is still running: wait for its answer
    return res.status(answer.status).json(answer.body);
  }
  const work = pay(req.body.orderId, req.body.amount);
  running.set(key, work); // claimed before the first await: a retry arriving now finds it
  try {
    const answer = await work;
    idempotencyKeys.set(key, { request, answer });
    res.status(answer.status).json(answer.body);
  } finally {
    running.delete(key);
  }
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

export default async function main() {
  // The customer of order-2 adds gift wrapping later: a second payment for the same order.
  const checkout: [string, number][] = [['order-1', 40], ['order-2', 25], ['order-3', 99], ['order-4', 60], ['order-2', 15]];
  const outcomes = [];
  for (const [orderId, amount] of checkout) outcomes.push(await payForOrder(orderId, amount));
  await sleep(2000); // late, slow requests still land during this time

  const chargesPerPayment: Record<string, number> = {};
  for (const c of ledger) chargesPerPayment[`${c.ref} (${c.amount})`] = (chargesPerPayment[`${c.ref} (${c.amount})`] ?? 0) + 1;
  const due = checkout.reduce((sum, [, amount]) => sum + amount, 0);
  const charged = ledger.reduce((sum, c) => sum + c.amount, 0);
  log.info(`customers owed ${due} and were charged ${charged}`, { chargesPerPayment, outcomes });
  return { chargesPerPayment, due, charged };
}
