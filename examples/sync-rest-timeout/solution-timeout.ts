// Order service calls the payment service with a 2-second timeout, and treats a
// timeout as "payment unknown" rather than "failed".
import { service, log, HttpTimeoutError } from 'playground';

const PAYMENT_SERVICE_URL = 'http://payment-service';

const payments = service('payment-service');
let nextPaymentId = 1;

payments.post('/payments', async (req, res) => {
  const { orderId, amount } = req.body;
  await new Promise((resolve) => setTimeout(resolve, 150));
  // A definite "no": the card issuer declines anything above 90.
  if (amount > 90) return res.status(402).json({ error: 'card declined', orderId });
  res.status(201).json({ id: `pay-${nextPaymentId++}`, orderId, amount, status: 'captured' });
});

const orders = service('order-service');
type Order = { id: string; totalAmount: number; status: string; paymentId?: string; waitedMs?: number };

async function createOrder(id: string, totalAmount: number): Promise<Order> {
  const order: Order = { id, totalAmount, status: 'pending' };
  const started = Date.now();
  try {
    const paymentResponse = await orders.http.post(
      `${PAYMENT_SERVICE_URL}/payments`,
      { orderId: order.id, amount: order.totalAmount, currency: 'USD' },
      { timeout: 2000 },
    );
    order.paymentId = paymentResponse.data.id;
    order.status = 'paid';
  } catch (error) {
    if (error instanceof HttpTimeoutError) {
      // The payment may still go through: settle it later.
      log.warn(`payment for ${order.id} is unknown after ${error.timeoutMs} ms`);
      order.status = 'payment-unknown';
    } else {
      log.error(`payment for ${order.id} failed: ${(error as Error).message}`);
      order.status = 'failed';
    }
  }
  order.waitedMs = Date.now() - started;
  return order;
}

export default async function main() {
  const placed = [];
  for (const [id, amount] of [['order-1', 40], ['order-2', 25], ['order-3', 99]] as const) {
    placed.push(await createOrder(id, amount));
  }
  return placed;
}
