// The order service protects itself from a flaky payment service with the
// playground's circuit breaker, and falls back to "payment pending" when the
// call fails or the breaker is open.
// Fault plan: payment-service fails 20% of requests (503) all the time; from
// 6 s to 14 s it fails all of them (see OUTAGE_FROM). Watch the Breakers view: when does the breaker open?
import { service, http, sleep, now, circuitBreaker } from 'playground';

const PAYMENT_SERVICE_URL = 'http://payment-service';

// --- payment service -------------------------------------------------------
const payments = service('payment-service');
let nextPaymentId = 1;

// From 6 s to 14 s the card processor behind the payment service is down:
// every payment fails at once with 503 Service Unavailable.
const OUTAGE_FROM = 6000;
const OUTAGE_TO = 14000;

payments.post('/payments', async (req, res) => {
  if (now() >= OUTAGE_FROM && now() < OUTAGE_TO) return res.status(503).json({ error: 'card processor unavailable' });
  // Charging a card takes 200-400 ms.
  await sleep(200 + Math.random() * 200);
  res.status(201).json({ id: `pay-${nextPaymentId++}`, orderId: req.body.orderId, status: 'captured' });
});

// --- order service ---------------------------------------------------------
const orders = service('order-service');
// The library breaker: opens after 5 failures in a row, stays open 5 s, then
// lets exactly one trial call through. It records its states and calls itself.
const paymentBreaker = circuitBreaker({
  name: 'payment-breaker',
  policy: { kind: 'consecutive', failureThreshold: 5 },
  breakDuration: 5000,
  halfOpen: { permittedCalls: 1 },
});

orders.post('/orders', async (req, res) => {
  const { orderId, amount } = req.body;
  try {
    const payment = await paymentBreaker.execute(({ signal }) =>
      orders.http.post(`${PAYMENT_SERVICE_URL}/payments`, { orderId, amount, currency: 'USD' }, { timeout: 2000, signal }),
    );
    res.status(201).json({ orderId, status: 'paid', paymentId: payment.data.id });
  } catch (error) {
    // Breaker open or payment failed: take the order, charge it later.
    orders.log.warn(`order ${orderId}: payment deferred (${(error as Error).message})`);
    res.status(202).json({ orderId, status: 'pending', message: 'Payment will be processed later' });
  }
});

// --- customers: one order every 100 ms for 20 s ------------------------------
export default async function main() {
  const placed: Promise<string>[] = [];
  for (let i = 1; i <= 200; i++) {
    const orderId = `order-${i}`;
    placed.push(http.post('http://order-service/orders', { orderId, amount: 10 + (i % 7) }).then((r) => (r.data as { status: string }).status));
    await sleep(100);
  }
  const statuses = await Promise.all(placed);
  return { paid: statuses.filter((s) => s === 'paid').length, pending: statuses.filter((s) => s === 'pending').length };
}
