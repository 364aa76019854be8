// Solution: the hand-written breaker forgets its failures after a success, so
// scattered errors of a healthy payment service no longer open it; only a run
// of failures in a row (the service is down) does.
// Fault plan: payment-service fails 20% of requests (503) all the time; from
// 6 s to 14 s it fails all of them (see OUTAGE_FROM). Watch the Breakers view: when does the breaker open?
import { service, http, sleep, now, recordState } from 'playground';

const PAYMENT_SERVICE_URL = 'http://payment-service';

/** Writes a breaker state change into the trace, so the Breakers view can draw it. */
function reportState(component: string, from: string, to: string) {
  recordState(component, from, to, { service: 'order-service' });
}

type State = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

class CircuitBreaker {
  private failures = 0;
  private nextAttempt = Date.now();
  private state: State = 'CLOSED';

  constructor(
    private name: string,
    private threshold = 5, // failures before it opens
    private timeout = 5000, // how long it stays open before a trial call (ms)
    private monitoringPeriod = 10000, // meant to forget old failures: is it used?
  ) {}

  private moveTo(next: State) {
    if (next === this.state) return;
    reportState(this.name, this.state, next);
    this.state = next;
  }

  async execute<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state === 'OPEN') {
      if (Date.now() < this.nextAttempt) {
        throw new Error(`circuit breaker ${this.name} is OPEN`);
      }
      // The break is over: let calls through again to see if it recovered.
      this.moveTo('HALF_OPEN');
    }

    try {
      const result = await fn();
      // A success shows the callee works: forget the failures before it.
      this.failures = 0;
      if (this.state === 'HALF_OPEN') this.moveTo('CLOSED');
      return result;
    } catch (error) {
      this.failures++;
      if (this.failures >= this.threshold) {
        this.nextAttempt = Date.now() + this.timeout;
        this.moveTo('OPEN');
      }
      throw error;
    }
  }
}

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
const paymentBreaker = new CircuitBreaker('payment-breaker', 5, 5000, 10000);

orders.post('/orders', async (req, res) => {
  const { orderId, amount } = req.body;
  try {
    const payment = await paymentBreaker.execute(() =>
      orders.http.post(`${PAYMENT_SERVICE_URL}/payments`, { orderId, amount, currency: 'USD' }, { timeout: 2000 }),
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
