// Cheat: every 4xx is passed on to the shopper as if the shopper had asked
// wrongly, the recommender's 429 too. A 429 says "too many requests, later":
// the product service is being throttled, the shopper did nothing wrong, and
// the page should degrade like in any other passing overload.
// rejected by: throttled-degraded
import { service, http, sleep, now, HttpStatusError } from 'playground';

const RECOMMENDATIONS_URL = 'http://recommendation-service';

// --- recommendation service --------------------------------------------------
const recommender = service('recommendation-service');
const ALL_PRODUCTS = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6'];
const THROTTLED_FROM = 10_000;
const THROTTLED_TO = 10_500;

recommender.get('/recommendations/:productId', async (req, res) => {
  const limit = Number(req.query.limit ?? 3);
  if (!Number.isInteger(limit) || limit < 1 || limit > 20) {
    return res.status(400).json({ error: 'limit must be a whole number from 1 to 20' });
  }
  // For half a second the product service is over its rate limit: "too many requests, try again in a second".
  if (now() >= THROTTLED_FROM && now() < THROTTLED_TO) return res.status(429).set('retry-after', '1').json({ error: 'rate limit exceeded' });
  await sleep(40); // scoring
  // Suggestions change as the model learns: they rotate every second.
  const others = ALL_PRODUCTS.filter((p) => p !== req.params.productId);
  const shift = Math.floor(now() / 1000) % others.length;
  res.json({ productId: req.params.productId, items: [...others.slice(shift), ...others.slice(0, shift)].slice(0, limit) });
});

// --- product service ---------------------------------------------------------
const products = service('product-service');
const catalog: Record<string, { name: string; price: number }> = {
  'p-1': { name: 'Kettle', price: 39 },
  'p-2': { name: 'Teapot', price: 25 },
  'p-3': { name: 'Mug', price: 9 },
  'p-4': { name: 'Tea sampler', price: 18 },
  'p-5': { name: 'Milk frother', price: 29 },
  'p-6': { name: 'Coasters', price: 12 },
};
const BESTSELLERS = ['p-1', 'p-2', 'p-3'];
/** Could not answer (down, timed out, failing), as opposed to "your request is wrong". */
function isOutage(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500;
  return true; // timeouts and refused connections
}

/** The last suggestions the recommendation service gave, per product. */
const lastGood = new Map<string, string[]>();

products.get('/products/:id', async (req, res) => {
  const product = catalog[req.params.id];
  if (!product) return res.status(404).json({ error: 'no such product' });
  const limit = req.query.recommendations ?? '3';
  let recommendations: string[];
  let degraded = false;
  try {
    const answer = await products.http.get(`${RECOMMENDATIONS_URL}/recommendations/${req.params.id}?limit=${limit}`, { timeout: 500 });
    recommendations = answer.data.items;
    lastGood.set(req.params.id, recommendations);
  } catch (error) {
    if (!isOutage(error)) {
      // Not an outage: a fallback would hide a bad request (or a bug of ours).
      const status = (error as HttpStatusError).status;
      products.log.error(`recommendations for ${req.params.id} refused with ${status}: not falling back`);
      return res.status(status).json({ error: 'invalid recommendations parameter', detail: (error as HttpStatusError).response.data });
    }
    // Slightly stale suggestions beat none; the page says they may be stale.
    products.log.warn(`recommendations for ${req.params.id} unavailable, serving a fallback: ${(error as Error).message}`);
    recommendations = lastGood.get(req.params.id) ?? BESTSELLERS;
    degraded = true;
  }
  res.json({ id: req.params.id, ...product, recommendations, ...(degraded ? { degraded: true } : {}) });
});

// --- a shopper browses a product every 250 ms for 12 s ------------------------
export default async function main() {
  const pages: { at: number; status: number }[] = [];
  const visit = async (path: string) => {
    const page = await http.get(`http://product-service${path}`, { validateStatus: () => true });
    pages.push({ at: Math.round(now()), status: page.status });
  };
  for (let i = 0; i < 48; i++) {
    // Twice the shop's own front end asks for 50 suggestions, more than the recommender allows.
    if (i === 6 || i === 42) await visit(`/products/p-4?recommendations=50`);
    else await visit(`/products/p-${1 + (i % 6)}`);
    await sleep(250);
  }
  return { pages: pages.length, ok: pages.filter((p) => p.status === 200).length };
}
