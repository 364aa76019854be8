// Cheat: the id travels on every HTTP call, but not on the OrderPlaced message:
// the notification service's email request and log lines start a new id, and
// the trail of each checkout breaks at the queue.
// rejected by: one-id-per-order, callers-id-kept, logs-carry-id
import { service, sleep, now, uuid, amqp, Buffer, log, HttpStatusError, HttpTimeoutError, type Request, type Response } from 'playground';

// --- payment service: a risk model, step by step, then the authorisation -----
const payments = service('payment-service');
const RISK_STEP_MS = 300;

/**
 * The deadline of an incoming request on this service's clock: now plus the
 * time its caller said is left (`x-timeout-ms`), or plus `defaultMs` when the
 * caller gave none. A time left travels better than a clock time: the two
 * machines' clocks need not agree.
 */
function deadlineOf(req: Request, defaultMs: number): number {
  const left = Number(req.headers['x-timeout-ms']);
  return now() + (Number.isFinite(left) && left > 0 ? left : defaultMs);
}

payments.post('/payments/authorize', async (req, res) => {
  const deadline = deadlineOf(req, 10_000);
  const { orderId, amount } = req.body;
  const steps = amount > 500 ? 8 : 1; // large amounts go through the full model
  for (let step = 1; step <= steps; step++) {
    if (now() + RISK_STEP_MS > deadline) {
      // This step would end after the caller stopped waiting: nobody would read the answer.
      payments.log.warn(`gave up on ${orderId} before step ${step}/${steps}: its deadline has passed`, { orderId, step, correlationId: req.correlationId });
      return res.status(504).json({ orderId, error: 'deadline exceeded' });
    }
    payments.log.info(`risk model step ${step}/${steps} for ${orderId}`, { orderId, step, correlationId: req.correlationId });
    await sleep(RISK_STEP_MS);
  }
  payments.log.info(`authorised ${amount} for ${orderId}`, { orderId, amount, correlationId: req.correlationId });
  res.json({ orderId, authorised: true });
});

// --- order service ----------------------------------------------------------
const orders = service('order-service');
const orderEvents = await (await amqp.connect('amqp://order-service@rabbitmq')).createConfirmChannel();
await orderEvents.assertQueue('order-placed', { durable: true });

orders.post('/orders', async (req, res) => {
  const deadline = deadlineOf(req, 10_000);
  const { correlationId } = req; // the x-correlation-id header the gateway sent
  const { orderId, amount, email } = req.body;
  await sleep(200); // reads stock and prices from its database
  const left = Math.floor(deadline - now());
  if (left <= 0) return res.status(504).json({ orderId, error: 'deadline exceeded' });
  try {
    // What is left of the budget: as this call's timeout, and passed on for the payment service's own work.
    await orders.http.post('http://payment-service/payments/authorize', { orderId, amount }, { timeout: left, headers: { 'x-timeout-ms': String(left), 'x-correlation-id': correlationId } });
  } catch (error) {
    const status = error instanceof HttpTimeoutError ? 504 : error instanceof HttpStatusError ? error.status : 502;
    return res.status(status).json({ orderId, error: `payment failed: ${(error as Error).message}` });
  }
  // Tell the rest of the system, without waiting for it.
  // The message carries the id too: AMQP has a property for it (amqplib's `correlationId` option).
  orderEvents.sendToQueue('order-placed', Buffer.from(JSON.stringify({ orderId, email })), { persistent: true });
  await orderEvents.waitForConfirms();
  res.status(201).json({ orderId, status: 'placed' });
});

// --- notification service and its email provider -----------------------------
const emailProvider = service('email-provider');
emailProvider.post('/send', async (req, res) => {
  await sleep(50);
  res.status(202).json({ accepted: true });
});

const notifications = service('notification-service');
const inbox = await (await amqp.connect('amqp://notification-service@rabbitmq')).createChannel();
await inbox.assertQueue('order-placed', { durable: true });
await inbox.consume('order-placed', async (msg) => {
  if (!msg) return;
  const { orderId, email } = JSON.parse(msg.content.toString());
  const correlationId = msg.properties.correlationId ?? uuid(); // an old publisher may send none: start a new one
  await notifications.http.post('http://email-provider/send', { to: email, subject: `Order ${orderId} is placed` }, { timeout: 2000, headers: { 'x-correlation-id': correlationId } });
  notifications.log.info(`confirmation for ${orderId} sent`, { orderId, correlationId });
  inbox.ack(msg);
});

// --- api gateway: each kind of caller has its own time budget --------------
const gateway = service('api-gateway');
const BUDGET_MS = { checkout: 1000, backoffice: 5000 };

async function placeOrder(req: Request, res: Response, budgetMs: number) {
  // The edge decides: keep the caller's id, or start one for a caller that sent none.
  const correlationId = req.headers['x-correlation-id'] ?? uuid();
  res.set('x-correlation-id', correlationId); // so the caller can quote it in a support ticket
  try {
    const { data } = await gateway.http.post('http://order-service/orders', req.body, { timeout: budgetMs, headers: { 'x-timeout-ms': String(budgetMs), 'x-correlation-id': correlationId } });
    res.status(201).json(data);
  } catch (error) {
    if (error instanceof HttpTimeoutError) return res.status(504).json({ error: `no answer within ${budgetMs} ms` });
    const status = error instanceof HttpStatusError ? error.status : 502;
    res.status(status).json({ error: (error as Error).message });
  }
}
gateway.post('/checkout', (req, res) => placeOrder(req, res, BUDGET_MS.checkout));
gateway.post('/backoffice/orders', (req, res) => placeOrder(req, res, BUDGET_MS.backoffice));

// --- callers: the web shop (it tags each page's requests) and the back office
const shop = service('web-shop');
const backOffice = service('back-office');

export default async function main() {
  const placed: Record<string, number> = {};
  const place = async (orderId: string, amount: number, via: 'checkout' | 'backoffice') => {
    const started = now();
    const body = { orderId, amount, email: `${orderId}@example.com` };
    const { status } =
      via === 'checkout'
        ? await shop.http.post('http://api-gateway/checkout', body, { headers: { 'x-correlation-id': `shop-page-${orderId}` }, validateStatus: () => true })
        : await backOffice.http.post('http://api-gateway/backoffice/orders', body, { validateStatus: () => true });
    placed[orderId] = status;
    log.info(`${orderId} (${via}, ${amount}): ${status} after ${Math.round(now() - started)} ms`, { orderId, status });
    await sleep(500);
  };
  await place('order-1', 40, 'checkout');
  await place('order-2', 900, 'checkout'); // a large order through the shop: more than 1 s of risk checks
  await place('order-3', 1200, 'backoffice'); // the same kind of order, placed by staff, who can wait 5 s
  await place('order-4', 25, 'checkout');
  return placed;
}
