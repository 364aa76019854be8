// Solution: the fallback (last good suggestions, else bestsellers, marked
// `degraded: true`) answers only for outages: the recommendation service is
// down, timed out, failing (5xx) or asking to be called later (408, 429). A
// 4xx caused by the shopper's request is passed on instead of papered over;
// a 401 or 403 would be about our own credentials, and is our error.
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
/**
 * Why the recommendations are missing:
 * - `outage`: the recommendation service could not answer now (down, timed out, failing with a
 *   5xx, or saying "later" with 408 or 429). That is what the fallback is for.
 * - `bad-request`: it answered that the request is wrong (400, 404, 422…), and the wrong part
 *   came from the shopper's request (`?recommendations=`). Pass it on.
 * - `our-fault`: 401 or 403 are about the product service's own credentials, not the shopper's.
 *   Passing them on would tell the shopper to log in; it is our failure to fix.
 */
function classify(error: unknown): 'outage' | 'bad-request' | 'our-fault' {
  if (!(error instanceof HttpStatusError)) return 'outage'; // timeouts and refused connections
  const status = error.status;
  if (status >= 500 || status === 408 || status === 429) return 'outage';
  if (status === 401 || status === 403) return 'our-fault';
  return 'bad-request';
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
    const kind = classify(error);
    if (kind === 'bad-request') {
      // The shopper's request is wrong: a fallback would hide that.
      const status = (error as HttpStatusError).status;
      products.log.error(`recommendations for ${req.params.id} refused with ${status}: not falling back`);
      return res.status(status).json({ error: 'invalid recommendations parameter', detail: (error as HttpStatusError).response.data });
    }
    if (kind === 'our-fault') {
      // Our own credentials were refused: report our failure, not the shopper's.
      products.log.error(`recommendation-service refused our credentials (${(error as HttpStatusError).status})`);
      return res.status(500).json({ error: 'internal error' });
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
