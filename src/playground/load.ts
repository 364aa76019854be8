/**
 * The load generator, bound to the run: arrivals on the run's clock (virtual
 * in the page, real under `spp run`), drawn from the run's seeded random
 * numbers, every call recorded in the trace for the Metrics view's load chart.
 */
import { generateLoad, type LoadOptions, type LoadSummary } from '../patterns/index.js';
import { currentHost } from './host.js';

/**
 * Sends calls at `ratePerSecond` (on average) for `durationMs`, open loop:
 * each call starts when it arrives, without waiting for earlier ones, the way
 * independent users do. Resolves, once every call has settled, with how many
 * were sent, succeeded and failed and their latency percentiles; the Metrics
 * view charts them per second (throughput, error rate, p50/p95/p99, calls in
 * flight). A rejected promise counts as a failure, and so does a response
 * with status ≥ 400 (unless `isOk` says otherwise).
 *
 * @example
 * const summary = await load({
 *   name: 'shoppers',
 *   ratePerSecond: 40,
 *   durationMs: 10_000,
 *   clients: 20,
 *   request: ({ index, client }) => http.get(`http://shop/products/${index % 50}`, { timeout: 1000 }),
 * });
 * log.info(`${summary.ok}/${summary.sent} ok, p99 ${summary.latency.p99} ms`);
 */
export function load<T>(options: Omit<LoadOptions<T>, 'clock' | 'rng' | 'trace'>): Promise<LoadSummary> {
  const h = currentHost();
  const name = options?.name ?? 'load';
  return generateLoad<T>({ ...options, clock: h.clock, rng: h.rng.fork(`load:${name}`), trace: h.trace });
}
