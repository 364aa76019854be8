// Solution: a timeout on every call, and a bulkhead per dependency. A stuck
// recommendation-service can hold at most 5 handlers for at most 400 ms each;
// product pages keep the rest, and the recommendations box fails fast until
// recommendation-service is back.
import { service, http, load, log, sleep, now, bulkhead } from 'playground';

/** recommendation-service is stuck between these times (ms): every call takes 5 s. */
const STUCK = { from: 1500, to: 4000 };

// --- two dependencies ----------------------------------------------------------
const prices = service('price-service');
prices.get('/prices/:id', async (req, res) => {
  await sleep(10);
  res.json({ id: req.params.id, price: 19.99 });
});

const recommender = service('recommendation-service');
recommender.get('/recommendations/:userId', async (req, res) => {
  const stuck = now() >= STUCK.from && now() < STUCK.to;
  // Usually 20 ms; one call in twenty misses the cache and takes 150 ms.
  await sleep(stuck ? 5000 : Math.random() < 0.05 ? 150 : 20);
  res.json({ userId: req.params.userId, items: ['p-7', 'p-3', 'p-9'] });
});

// --- catalog-service: 10 request handlers for all of its endpoints -------------
const catalog = service('catalog-service');
const HANDLERS = 10;
let busyHandlers = 0;

/**
 * Runs a route on one of the catalog's 10 handlers (think of a thread pool or
 * a pool of connections). When all are busy, the request is refused at once.
 */
function onHandler(route: (req: any, res: any) => Promise<unknown>) {
  return async (req: any, res: any) => {
    if (busyHandlers >= HANDLERS) return res.status(503).json({ error: 'catalog-service is busy' });
    busyHandlers++;
    try {
      await route(req, res);
    } finally {
      busyHandlers--;
    }
  };
}

// One bulkhead per dependency: recommendations may hold at most 5 of the 10
// handlers, so prices always find one free. And a timeout per call, so a
// stuck call gives its handler back after 400 ms instead of 5 s.
const toPrices = bulkhead({ name: 'price-bulkhead', maxConcurrent: 5 });
const toRecommendations = bulkhead({ name: 'recommendation-bulkhead', maxConcurrent: 5 });

catalog.get('/products/:id', onHandler(async (req, res) => {
  try {
    const { data } = await toPrices.execute(() => catalog.http.get(`http://price-service/prices/${req.params.id}`, { timeout: 400 }));
    res.json({ id: req.params.id, name: `Product ${req.params.id}`, price: data.price });
  } catch {
    res.status(503).json({ error: 'no price right now' });
  }
}));

catalog.get('/recommendations/:userId', onHandler(async (req, res) => {
  try {
    const { data } = await toRecommendations.execute(() =>
      catalog.http.get(`http://recommendation-service/recommendations/${req.params.userId}`, { timeout: 400 }),
    );
    res.json(data);
  } catch {
    // Full bulkhead or timeout: answer at once; the page shows no recommendations.
    res.status(503).json({ error: 'no recommendations right now' });
  }
}));

// --- the shop's traffic ----------------------------------------------------------
export default async function main() {
  // Two loads at once, for 6 s: product pages and the recommendations box.
  const [products, recommendations] = await Promise.all([
    load({
      name: 'product-page',
      ratePerSecond: 30,
      durationMs: 6000,
      request: ({ index }) => http.get(`http://catalog-service/products/${index % 40}`, { timeout: 2000 }),
    }),
    load({
      name: 'recommendations',
      ratePerSecond: 40,
      durationMs: 6000,
      request: ({ index }) => http.get(`http://catalog-service/recommendations/u-${index % 25}`, { timeout: 2000 }),
    }),
  ]);
  for (const s of [products, recommendations])
    log.info(`${s.name}: ${s.ok} of ${s.sent} ok (${Math.round(s.errorRate * 100)}% failed), p99 ${Math.round(s.latency.p99 ?? 0)} ms`);
  return { products, recommendations };
}
