// Both fixes so far: full jitter, and no retry for a request the service
// called wrong. This passes the example's run, where the inventory service is
// back after 2.5 s. But a restart does not always take 2.5 s. Press Explore
// (in the views column): its schedules keep the service down for 1 to 9 s.
// Look at what the flash-sale customers are told in the failing ones.
import { service, http, sleep, log, HttpStatusError } from 'playground';

const INVENTORY_URL = 'http://inventory-service';

/** Could the same request succeed later? Not when the server said it is wrong. */
function worthRetrying(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500 || error.status === 408 || error.status === 429;
  return true; // timeouts and refused connections may pass
}

async function retryWithExponentialBackoff<T>(fn: () => Promise<T>, maxRetries = 3, baseDelay = 1000): Promise<T> {
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt === maxRetries || !worthRetrying(error)) throw error;
      // Full jitter: anywhere between 0 and the exponential delay.
      const delay = Math.round(Math.random() * baseDelay * Math.pow(2, attempt));
      log.info(`retry ${attempt + 1} in ${delay} ms: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  throw new Error('unreachable');
}

// --- inventory service: a small instance that handles 10 requests at a time --
const inventory = service('inventory-service');
const stock: Record<string, number> = { 'sku-1': 1000, 'sku-2': 1000, 'sku-3': 1000 };
const CAPACITY = 10;
let busy = 0;

inventory.post('/reservations', async (req, res) => {
  if (busy >= CAPACITY) {
    // Overloaded: it would rather refuse quickly than queue forever.
    return res.status(503).json({ error: 'overloaded, try again later' });
  }
  busy++;
  try {
    await sleep(100); // a database round trip
    const { sku, quantity } = req.body;
    if (!Number.isInteger(quantity) || quantity < 1) return res.status(400).json({ error: 'quantity must be a whole number ≥ 1' });
    if (!(sku in stock)) return res.status(404).json({ error: `unknown item ${sku}` });
    stock[sku] -= quantity;
    res.status(201).json({ reservationId: `res-${req.body.orderId}`, sku, quantity });
  } finally {
    busy--;
  }
});

// --- order service ---------------------------------------------------------
const orders = service('order-service');

orders.post('/orders', async (req, res) => {
  const { orderId, sku, quantity } = req.body;
  try {
    const reservation = await retryWithExponentialBackoff(
      () => orders.http.post(`${INVENTORY_URL}/reservations`, { orderId, sku, quantity }, { timeout: 2000 }),
      4, // retries after the first attempt
      1000,
    );
    res.status(201).json({ orderId, status: 'reserved', reservationId: reservation.data.reservationId });
  } catch (error) {
    // A bad order is the customer's to fix: pass the 4xx on instead of "try later".
    const status = error instanceof HttpStatusError && error.status < 500 ? error.status : 503;
    res.status(status).json({ orderId, status: 'failed', error: (error as Error).message });
  }
});

const placeOrder = (order: { orderId: string; sku: string; quantity: number }) =>
  http.post('http://order-service/orders', order, { validateStatus: () => true }).then((r) => r.status);

export default async function main() {
  // A flash sale: 50 customers order within 50 ms.
  const flashSale: Promise<number>[] = [];
  for (let i = 1; i <= 50; i++) {
    flashSale.push(placeOrder({ orderId: `order-${i}`, sku: `sku-${1 + (i % 3)}`, quantity: 1 }));
    await sleep(1);
  }
  const statuses = await Promise.all(flashSale);
  // Later, two orders that no retry can fix: an unknown item and a bad quantity.
  const bad = await Promise.all([
    placeOrder({ orderId: 'order-51', sku: 'sku-999', quantity: 1 }),
    placeOrder({ orderId: 'order-52', sku: 'sku-1', quantity: 0 }),
  ]);
  return {
    reserved: statuses.filter((s) => s === 201).length,
    failed: statuses.filter((s) => s !== 201).length,
    badOrders: bad,
  };
}
