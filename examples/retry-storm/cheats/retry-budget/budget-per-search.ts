// Cheat: a retry budget, but a new one for every search. Each bucket starts
// full, so nothing is shared and nothing limits the retries of the frontend
// as a whole: every failed call is retried as before.
// rejected by: load-within-budget, recovers
import { service, http, load, log, sleep, now, retryPolicy, retryBudget, exponentialBackoff } from 'playground';

const SEARCH_URL = 'http://search-service';
/** The index rebuild: every query is slow between these times (ms). */
const REBUILD = { from: 3000, to: 5000 };

// --- search-service: two workers; queries wait in line for a free one ------
const search = service('search-service');
const WORKERS = 2;
let busy = 0;
const line: Array<() => void> = [];

/** Runs `work` on a free worker, after the queries ahead of it in line. */
async function onWorker<T>(work: () => Promise<T>): Promise<T> {
  if (busy < WORKERS) busy++;
  else await new Promise<void>((resolve) => line.push(resolve));
  try {
    return await work();
  } finally {
    // Hand the worker straight to the next query in line, if any.
    const next = line.shift();
    if (next) next();
    else busy--;
  }
}

search.get('/search', async (req, res) => {
  await onWorker(async () => {
    const rebuilding = now() >= REBUILD.from && now() < REBUILD.to;
    await sleep(rebuilding ? 320 : 40); // one query: 40 ms, or 320 ms during the rebuild
  });
  // A caller that gave up long ago still gets its answer computed: that work is wasted.
  res.json({ q: req.query.q, hits: [`${req.query.q}-1`, `${req.query.q}-2`] });
});

// --- frontend ----------------------------------------------------------------
const frontend = service('frontend');
let callsToSearch = 0; // every attempt counts: it is the load search-service sees

/** One call to search-service; the frontend gives up on it after 500 ms. */
function callSearch(q: string, signal?: AbortSignal) {
  callsToSearch++;
  return frontend.http.get(`${SEARCH_URL}/search?q=${encodeURIComponent(q)}`, { timeout: 500, signal });
}

// One bucket of retry tokens for all of the frontend's calls to search-service:
// up to 5 retries in a burst, then 3 a second (a tenth of the traffic). When it
// is empty, a failed call fails at once instead of adding load.
const newRetry = () => retryPolicy({
  name: 'search-retry',
  maxAttempts: 3, // the first call and at most two retries
  backoff: exponentialBackoff({ initialMs: 100, maxMs: 1000, jitter: 'full' }),
  budget: retryBudget({ capacity: 5, refillPerSecond: 3 }),
});

frontend.get('/search', async (req, res) => {
  try {
    const { data } = await newRetry().execute(({ signal }) => callSearch(String(req.query.q), signal));
    res.json(data);
  } catch {
    res.status(503).json({ error: 'search is unavailable, try again later' });
  }
});

// --- the shoppers ------------------------------------------------------------
let searches = 0;

/** Every second: calls that reached search-service per shopper's search. */
async function logAmplification(seconds: number) {
  for (let s = 1; s <= seconds; s++) {
    const [searchesBefore, callsBefore] = [searches, callsToSearch];
    await sleep(1000);
    const sent = searches - searchesBefore;
    const calls = callsToSearch - callsBefore;
    log.info(`${s - 1}–${s} s: ${sent} searches, ${calls} calls to search-service, amplification ×${(calls / Math.max(1, sent)).toFixed(1)}`);
  }
}

export default async function main() {
  void logAmplification(8);
  // 30 searches a second for 8 s, from 20 shoppers who do not wait for each other.
  const summary = await load({
    name: 'shoppers',
    ratePerSecond: 30,
    durationMs: 8_000,
    clients: 20,
    request: ({ index }) => {
      searches++;
      return http.get(`http://frontend/search?q=item-${index % 50}`, { timeout: 3000 });
    },
  });
  const amplification = Math.round((callsToSearch / summary.sent) * 100) / 100;
  log.info(`${summary.ok} of ${summary.sent} searches answered (p99 ${Math.round(summary.latency.p99 ?? 0)} ms); ${callsToSearch} calls to search-service: amplification ×${amplification}`);
  return { sent: summary.sent, ok: summary.ok, failed: summary.failed, p99: summary.latency.p99, callsToSearch, amplification };
}
