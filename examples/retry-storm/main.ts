// A search page under steady traffic: 30 searches a second from 20 shoppers.
// From 3 s to 5 s the search index is rebuilt and every query takes eight
// times longer. The frontend retries every failed search at once, up to four
// more times, so the load on search-service multiplies while it is at its
// weakest; and when the rebuild is over, the retries keep it overloaded.
// Watch the load chart (Metrics view) and the "amplification" log lines.
// Fault plan: search-service also fails 5% of queries (503) at random.
import { service, http, load, log, sleep, now } from 'playground';

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

/** Tries `call` again at once when it fails, up to `retries` more times. */
async function withRetries<T>(call: () => Promise<T>, retries = 4): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= retries) throw error;
      // The next attempt may be luckier: go again straight away.
    }
  }
}

frontend.get('/search', async (req, res) => {
  try {
    const { data } = await withRetries(() => callSearch(String(req.query.q)));
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
