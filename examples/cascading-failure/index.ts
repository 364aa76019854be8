import type { CheckResult, Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import { errorRate, loadedCalls, loadStart, ms, pct, percentileOf, startedIn, type LoadedCall } from '../load-checks.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import bulkheads from './solution-bulkheads.ts?raw';
import meta from './meta.js';

/** recommendation-service is stuck (ms), as in the code. */
const STUCK = { from: 1500, to: 4000 };
/** The loads stop then. */
const LOAD_END = 6000;
/** Product pages must succeed at least this often, with at most this p99 (ms). */
const PRODUCTS_MIN_OK = 0.99;
const PRODUCTS_MAX_P99 = 100;
/** Recommendations during the outage: p99 at most this (ms). */
const RECOMMENDATIONS_MAX_P99 = 500;
/** Recommendations from half a second after the outage: at least this share succeeds. */
const RECOVERED_MIN_OK = 0.97;
const AFTER = STUCK.to + 500;

/** The calls of one of the two loads, or a failed check when it did not run as in the example. */
function calls(run: RunOutcome, name: 'product-page' | 'recommendations', rate: number): LoadedCall[] | CheckResult {
  const failed = runFailed(run);
  if (failed) return failed;
  const start = loadStart(run, name);
  if (!start) return fail(`No load called "${name}" ran: keep both loads of main() as they are.`);
  if (start.ratePerSecond !== rate || start.durationMs !== LOAD_END)
    return fail(`Keep the "${name}" load as it is (${rate} calls a second for ${ms(LOAD_END)}); it was ${start.ratePerSecond} a second for ${ms(start.durationMs)}.`, [start]);
  return loadedCalls(run, name);
}
const products = (run: RunOutcome) => calls(run, 'product-page', 30);
const recommendations = (run: RunOutcome) => calls(run, 'recommendations', 40);

const example: Example = {
  ...meta,
  summary: 'One stuck dependency takes every request handler of its caller, and product pages that never touch it fail too; a timeout and a bulkhead per dependency keep the damage where it started.',
  objectives: [
    'Explain how a slow dependency exhausts the shared resources of its caller (handlers, threads, connections)',
    'Tell apart what a timeout bounds (how long one call holds a resource) and what a bulkhead bounds (how many calls may hold it)',
    'Give each dependency its own bulkhead, sized from its rate and latency, and a timeout',
    'Check that an unrelated endpoint stays healthy while the slow one fails fast',
  ],
  lesson,
  code,
  seed: 'cascade-1',
  expected: [
    {
      id: 'cascade',
      title: 'product pages fail although price-service is healthy',
      check: (run) => {
        const p = products(run);
        if (!Array.isArray(p)) return p;
        const priceFailures = eventsOf(run, 'http.response', (e) => e.source === 'price-service' && e.status >= 500);
        return errorRate(p) > 0.3 && priceFailures.length === 0
          ? pass(`${pct(errorRate(p))} of the product pages failed; price-service answered every call it got.`)
          : fail(`Expected many product pages to fail while price-service is fine; ${pct(errorRate(p))} failed, price-service failed ${priceFailures.length} times.`);
      },
    },
    {
      id: 'busy',
      title: 'the catalog refuses requests because all its handlers are waiting',
      check: (run) => {
        const busy = eventsOf(run, 'http.response', (e) => e.source === 'catalog-service' && e.status === 503 && (e.body as { error?: string } | undefined)?.error === 'catalog-service is busy');
        return busy.length > 0 ? pass(`${busy.length} requests were refused with "catalog-service is busy".`) : fail('Expected catalog-service to run out of handlers.');
      },
    },
  ],
  exercises: [
    {
      id: 'bulkheads',
      title: 'A timeout and a bulkhead per dependency',
      task: [
        'While recommendation-service is stuck, every recommendations request waits for it, holding one of the catalog\'s 10 handlers. At 40 requests a second all 10 are taken within a quarter of a second, and product pages are refused with `503 catalog-service is busy`, although they only need price-service, which is fine. The pile of waiting calls drains only 5 s after the outage, so the catalog stays unusable long after recommendation-service is back.',
        '',
        'Keep the damage where it starts: give every call to a dependency a **timeout**, and give each dependency its own **bulkhead** (`bulkhead({ name, maxConcurrent })` from `playground`), so recommendation calls can never take all the handlers.',
        '',
        `Done when: at least ${pct(PRODUCTS_MIN_OK)} of the product pages succeed with a p99 under ${ms(PRODUCTS_MAX_P99)}; recommendations asked for during the outage are answered (even if only with an error) with a p99 under ${ms(RECOMMENDATIONS_MAX_P99)}; and from ${ms(AFTER)} on, at least ${pct(RECOVERED_MIN_OK)} of the recommendations succeed again.`,
      ].join('\n'),
      hint: [
        '1. Two numbers decide how many handlers the recommendations hold: how many calls arrive per second, and how long each one holds its handler. A timeout caps the second; only a limit on concurrent calls, a bulkhead, caps the total whatever the rate.',
        '2. A timeout alone is not enough here: 40 calls a second that each wait 300 ms still need 12 handlers at a time. A bulkhead alone is not enough either: its slots stay taken by calls that wait 5 s.',
        "3. Size each bulkhead from its dependency's normal needs (40 calls a second of about 30 ms need one or two slots; allow for bursts) and keep the sum below the 10 handlers: `const toRecommendations = bulkhead({ name: 'recommendation-bulkhead', maxConcurrent: 5 })`, and one for prices. Pick the timeout above the slowest normal answer (cache misses take 150 ms).",
        '4. In the handler: `await toRecommendations.execute(() => catalog.http.get(url, { timeout: 400 }))`; a full bulkhead rejects at once, and the `catch` answers 503.',
      ].join('\n'),
      solution: bulkheads,
      checks: [
        {
          id: 'products-healthy',
          title: `product pages stay healthy: ${pct(PRODUCTS_MIN_OK)} succeed, p99 under ${ms(PRODUCTS_MAX_P99)}`,
          check: (run) => {
            const p = products(run);
            if (!Array.isArray(p)) return p;
            const ok = 1 - errorRate(p);
            const p99 = percentileOf(p.map((c) => c.durationMs), 0.99) ?? 0;
            if (ok < PRODUCTS_MIN_OK) {
              const failed = p.filter((c) => !c.ok);
              return fail(`Only ${pct(ok)} of the ${p.length} product pages succeeded: ${failed.length} failed, most while recommendation-service was stuck (${ms(STUCK.from)}–${ms(STUCK.to)}). Something still lets the recommendations take the handlers the product pages need.`, failed.map((c) => c.done));
            }
            return p99 <= PRODUCTS_MAX_P99
              ? pass(`${pct(ok)} of the product pages succeeded, p99 ${ms(p99)}.`)
              : fail(`${pct(ok)} of the product pages succeeded, but their p99 was ${ms(p99)}, over ${ms(PRODUCTS_MAX_P99)}.`);
          },
        },
        {
          id: 'recommendations-fail-fast',
          title: `recommendations fail fast while recommendation-service is stuck (p99 under ${ms(RECOMMENDATIONS_MAX_P99)})`,
          check: (run) => {
            const r = recommendations(run);
            if (!Array.isArray(r)) return r;
            const during = startedIn(r, STUCK.from, STUCK.to);
            const p99 = percentileOf(during.map((c) => c.durationMs), 0.99) ?? 0;
            const slow = during.filter((c) => c.durationMs > RECOMMENDATIONS_MAX_P99);
            return p99 <= RECOMMENDATIONS_MAX_P99
              ? pass(`The ${during.length} recommendations asked for during the outage were answered with a p99 of ${ms(p99)}.`)
              : fail(`Recommendations asked for during the outage took ${ms(p99)} (p99); ${slow.length} of ${during.length} took over ${ms(RECOMMENDATIONS_MAX_P99)}. The shoppers wait for a service that is stuck.`, slow.map((c) => c.done));
          },
        },
        {
          id: 'recommendations-recover',
          title: `recommendations work again soon after the outage (${pct(RECOVERED_MIN_OK)} from ${ms(AFTER)})`,
          check: (run) => {
            const r = recommendations(run);
            if (!Array.isArray(r)) return r;
            const after = startedIn(r, AFTER, LOAD_END);
            const ok = 1 - errorRate(after);
            return ok >= RECOVERED_MIN_OK
              ? pass(`${pct(ok)} of the ${after.length} recommendations from ${ms(AFTER)} on succeeded.`)
              : fail(`Only ${pct(ok)} of the ${after.length} recommendations from ${ms(AFTER)} on succeeded, although recommendation-service was back at ${ms(STUCK.to)}: calls from the outage still hold what new ones need, or the timeout cuts off normal answers.`, after.filter((c) => !c.ok).map((c) => c.done));
          },
        },
      ],
    },
  ],
};

export default example;
