// Solution: the stock check runs under a timeout policy of 1 s, and the
// policy's signal is passed on to the request, so the request is really
// cancelled when the time is up (not just abandoned).
// Between 4 s and 12 s a long report locks the stock table, and every stock
// query waits for the lock. Watch the Logs: how many stock checks are in
// flight at the order service, and how long do customers wait?
import { service, http, sleep, now, timeoutPolicy } from 'playground';

const INVENTORY_URL = 'http://inventory-service';

// --- inventory service -----------------------------------------------------
const inventory = service('inventory-service');
const LOCKED_FROM = 4000;
const LOCKED_UNTIL = 12000;

inventory.get('/stock/:sku', async (req, res) => {
  const t = now(); // ms since the run started
  if (t >= LOCKED_FROM && t < LOCKED_UNTIL) {
    // The stock table is locked by a report: the query waits until it ends.
    await sleep(LOCKED_UNTIL - t);
  }
  await sleep(30); // the query itself
  res.json({ sku: req.params.sku, available: 25 });
});

// --- order service ---------------------------------------------------------
const orders = service('order-service');
const stockTimeout = timeoutPolicy({ name: 'stock-timeout', timeoutMs: 1000 });
let inFlight = 0; // stock checks waiting for an answer

orders.post('/orders', async (req, res) => {
  const { orderId, sku } = req.body;
  inFlight++;
  try {
    const stock = await stockTimeout.execute(({ signal }) => orders.http.get(`${INVENTORY_URL}/stock/${sku}`, { signal }));
    if (stock.data.available < 1) return res.status(409).json({ orderId, status: 'out-of-stock' });
    res.status(201).json({ orderId, status: 'confirmed' });
  } catch (error) {
    orders.log.warn(`order ${orderId}: stock check failed (${(error as Error).message})`);
    res.status(503).json({ orderId, status: 'failed', error: 'inventory is not answering, please try again' });
  } finally {
    inFlight--;
  }
});

// --- customers: five orders a second for 16 s --------------------------------
export default async function main() {
  const placed: Promise<unknown>[] = [];
  let peak = 0;
  for (let i = 1; i <= 80; i++) {
    placed.push(http.post('http://order-service/orders', { orderId: `order-${i}`, sku: `sku-${1 + (i % 4)}` }, { validateStatus: () => true }));
    await sleep(200);
    peak = Math.max(peak, inFlight);
    if (i % 5 === 0) orders.log.info(`${inFlight} stock checks in flight`);
  }
  await Promise.all(placed);
  return { orders: placed.length, peakInFlight: peak };
}
