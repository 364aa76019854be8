import type { CheckResult, Example, RunOutcome } from '../types.js';
import { fail, pass, runFailed } from '../check-helpers.js';
import { errorRate, loadedCalls, loadStart, ms, pct, percentileOf, recoveryTime, requestsTo, startedIn, type LoadedCall } from '../load-checks.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import retryBudget from './solution-retry-budget.ts?raw';
import breaker from './solution-breaker.ts?raw';
import meta from './meta.js';

/** The index rebuild (ms), as in the code. */
const REBUILD = { from: 3000, to: 5000 };
/** The shoppers stop searching then. */
const LOAD_END = 8000;
/** Amplification is measured over the rebuild and the 3 s after it. */
const WATCH = { from: REBUILD.from, to: LOAD_END };
/** A second of searches is healthy again below this error rate. */
const RECOVERED_BELOW = 0.1;
/** Searches before the rebuild: the random 503s must not reach more of them than this. */
const HEALTHY_MAX_ERRORS = 0.01;

const LOAD = 'shoppers';

/**
 * The shoppers' searches, or a failed check when the load is missing or
 * was changed (fewer searches would make any storm look smaller).
 */
function shoppers(run: RunOutcome): LoadedCall[] | CheckResult {
  const failed = runFailed(run);
  if (failed) return failed;
  const start = loadStart(run, LOAD);
  if (!start) return fail(`No load called "${LOAD}" ran: keep the shoppers' \`load({ name: '${LOAD}', … })\` in main().`);
  if (start.ratePerSecond !== 30 || start.durationMs !== 8000)
    return fail(`Keep the shoppers' load as it is (30 searches a second for 8 s); it was ${start.ratePerSecond} a second for ${ms(start.durationMs)}.`, [start]);
  return loadedCalls(run, LOAD);
}

/** Calls to search-service per search, over the rebuild and the 3 s after it. */
function amplification(run: RunOutcome, calls: readonly LoadedCall[]) {
  const searches = startedIn(calls, WATCH.from, WATCH.to).length;
  const reached = requestsTo(run, 'search-service', WATCH.from, WATCH.to);
  return { searches, reached, factor: reached.length / Math.max(1, searches) };
}

/** A check that recovery took at most `limit` ms after the rebuild. */
function recoversWithin(limit: number) {
  return (run: RunOutcome): CheckResult => {
    const calls = shoppers(run);
    if (!Array.isArray(calls)) return calls;
    const took = recoveryTime(calls, REBUILD.to, LOAD_END, RECOVERED_BELOW);
    if (took === undefined) {
      const last = startedIn(calls, LOAD_END - 1000, LOAD_END);
      return fail(
        `The rebuild ended at ${ms(REBUILD.to)}, but ${pct(errorRate(last))} of the searches of the last second (7–8 s) still failed: search-service never recovered while the shoppers kept searching.`,
        last.filter((c) => !c.ok).map((c) => c.done),
      );
    }
    return took <= limit
      ? pass(`Searches were healthy again (under ${pct(RECOVERED_BELOW)} failing) ${ms(took)} after the rebuild ended.`)
      : fail(`Expected the searches to be healthy again within ${ms(limit)} of the end of the rebuild, but it took ${ms(took)}.`);
  };
}

const example: Example = {
  ...meta,
  summary: 'A two-second slowdown of a search service turns into an outage that outlasts it: every failed call is retried at once, so the load on the service multiplies just when it is weakest.',
  objectives: [
    'Explain how retries multiply the load on a struggling service, and why the overload can outlast its cause',
    'Measure the amplification factor: calls that reach a service per request of its callers',
    'Bound retries with a cap, jittered backoff and a retry budget shared by every call',
    'Stop calling a failing service with a circuit breaker, so it can recover, and measure the recovery time',
  ],
  lesson,
  code,
  seed: 'storm-1',
  faults: { services: { 'search-service': { errorRate: 0.05, errorStatus: 503 } } },
  expected: [
    {
      id: 'storm',
      title: 'the retries multiply the load on search-service',
      check: (run) => {
        const calls = shoppers(run);
        if (!Array.isArray(calls)) return calls;
        const a = amplification(run, calls);
        return a.factor >= 2.5
          ? pass(`${a.reached.length} calls reached search-service for ${a.searches} searches between 3 and 8 s: ×${a.factor.toFixed(1)}.`)
          : fail(`Expected the retries to multiply the load at least 2.5 times; it was ×${a.factor.toFixed(2)}.`);
      },
    },
    {
      id: 'outlasts',
      title: 'the overload outlasts the rebuild',
      check: (run) => {
        const calls = shoppers(run);
        if (!Array.isArray(calls)) return calls;
        const last = startedIn(calls, LOAD_END - 1000, LOAD_END);
        return errorRate(last) > 0.5
          ? pass(`${pct(errorRate(last))} of the searches still fail 3 s after the rebuild ended.`)
          : fail(`Expected most searches to fail until the end; in the last second ${pct(errorRate(last))} did.`);
      },
    },
  ],
  exercises: [
    {
      id: 'retry-budget',
      title: 'Retry within a shared budget',
      task: [
        'During the rebuild, calls to search-service time out, and the frontend sends each one again at once, up to four more times. The extra calls join the line at search-service, so later calls wait even longer and time out too. When the rebuild is over, the line is so long that every call still times out: the retries alone keep search-service overloaded until the shoppers stop.',
        '',
        'Make the frontend retry with restraint: at most **two** retries, after a **jittered** exponential backoff, and only while a **retry budget** shared by all its calls to search-service has tokens (`retryPolicy`, `exponentialBackoff({ jitter: "full" })` and `retryBudget` from `playground`).',
        '',
        `Done when: from 3 s to 8 s at most 1.5 calls reach search-service per search; searches before the rebuild still get past the random 503s (at most ${pct(HEALTHY_MAX_ERRORS)} fail); and the searches are healthy again (under ${pct(RECOVERED_BELOW)} failing) within 3 s after the rebuild ends.`,
      ].join('\n'),
      hint: [
        '1. Every retry is one more call for the struggling service. Capping the retries per search limits the damage of one search, but not of all of them together: during the rebuild every search fails, so every search still retries.',
        '2. A retry budget is one bucket of tokens for all the calls: each retry takes a token, tokens come back slowly (a few a second), and without a token the call fails at once. In good times there are always tokens for the odd 503; in a storm the bucket runs dry and the retries stop.',
        '3. Make one budget outside the handler, so every search shares it: `const budget = retryBudget({ capacity: 5, refillPerSecond: 3 });`. Then one retry policy with it: `retryPolicy({ maxAttempts: 3, backoff: exponentialBackoff({ initialMs: 100, maxMs: 1000, jitter: "full" }), budget })`.',
        '4. In the handler: `await retry.execute(({ signal }) => callSearch(String(req.query.q), signal))`.',
      ].join('\n'),
      solution: retryBudget,
      checks: [
        {
          id: 'load-within-budget',
          title: 'search-service sees at most 1.5 calls per search, and random 503s are still retried',
          check: (run) => {
            const calls = shoppers(run);
            if (!Array.isArray(calls)) return calls;
            const a = amplification(run, calls);
            if (a.factor > 1.5)
              return fail(`From 3 to 8 s, ${a.reached.length} calls reached search-service for ${a.searches} searches: ×${a.factor.toFixed(2)}, more than ×1.5. The retries still multiply the load.`, a.reached);
            const before = startedIn(calls, 0, REBUILD.from - 500);
            const failedBefore = before.filter((c) => !c.ok);
            if (errorRate(before) > HEALTHY_MAX_ERRORS)
              return fail(
                `${failedBefore.length} of ${before.length} searches before the rebuild failed (${pct(errorRate(before))}): the random 503s reach the shoppers. Keep retrying them while the budget has tokens.`,
                failedBefore.map((c) => c.done),
              );
            return pass(`×${a.factor.toFixed(2)} from 3 to 8 s (${a.reached.length} calls for ${a.searches} searches), and ${pct(errorRate(before))} of the searches failed before the rebuild.`);
          },
        },
        { id: 'recovers', title: 'searches are healthy again within 3 s after the rebuild', check: recoversWithin(3000) },
      ],
    },
    {
      id: 'breaker',
      title: 'Give search-service a break with a circuit breaker',
      task: [
        'With a retry budget the storm is gone, but search-service still gets the shoppers\' full load while it can serve an eighth of it: its line grows through the whole rebuild, searches wait the full 500 ms before they fail, and the line takes a while to drain afterwards.',
        '',
        'Put a **circuit breaker** between the retries and search-service (`circuitBreaker` and `wrap(retry, breaker)`), so that once most calls fail the frontend stops calling for a short break, answers at once, and lets a trial call find out when search-service is back.',
        '',
        'Done when: from 3 s to 8 s at most 0.8 calls reach search-service per search; the searches that fail during the rebuild fail fast (median under 50 ms); and searches are healthy again within 1.5 s after the rebuild ends.',
      ].join('\n'),
      hint: [
        '1. A retry budget limits the extra load; only not calling at all gives a struggling service room to work off its line. That is what an open breaker does: it refuses calls at once, for a while.',
        '2. The breaker must see every call to search-service, so make one breaker outside the handler and put it inside the retry: `wrap(retry, breaker)`. The retry policy does not retry the breaker\'s refusals.',
        '3. Open on the failure rate of the last calls, and keep the break short so a trial call soon finds out that the rebuild is over: `circuitBreaker({ name: "search-breaker", policy: { kind: "count", windowSize: 20, failureRateThreshold: 0.5, minimumCalls: 10 }, breakDuration: 1000 })`.',
        '4. Keep the budget and the retry policy of the first exercise (or start from its solution), and call `searchPolicy.execute(({ signal }) => callSearch(String(req.query.q), signal))` where `const searchPolicy = wrap(retry, breaker)`.',
      ].join('\n'),
      solution: breaker,
      checks: [
        {
          id: 'load-shed',
          title: 'search-service sees at most 0.8 calls per search from 3 to 8 s',
          check: (run) => {
            const calls = shoppers(run);
            if (!Array.isArray(calls)) return calls;
            const a = amplification(run, calls);
            return a.factor <= 0.8
              ? pass(`×${a.factor.toFixed(2)}: ${a.reached.length} calls reached search-service for ${a.searches} searches.`)
              : fail(`From 3 to 8 s, ${a.reached.length} calls reached search-service for ${a.searches} searches (×${a.factor.toFixed(2)}): nothing stops the frontend from calling while search-service is behind.`, a.reached);
          },
        },
        {
          id: 'fails-fast',
          title: 'searches that fail during the rebuild fail fast (median under 50 ms)',
          check: (run) => {
            const calls = shoppers(run);
            if (!Array.isArray(calls)) return calls;
            const failed = startedIn(calls, REBUILD.from, REBUILD.to).filter((c) => !c.ok);
            if (failed.length === 0) return pass('No search failed during the rebuild.');
            const median = percentileOf(failed.map((c) => c.durationMs), 0.5)!;
            return median < 50
              ? pass(`Half of the ${failed.length} failed searches of the rebuild failed within ${ms(median)}.`)
              : fail(`The ${failed.length} searches that failed during the rebuild took ${ms(median)} (median) to fail: the shoppers wait for calls that are bound to fail.`, failed.map((c) => c.done));
          },
        },
        { id: 'recovers-quickly', title: 'searches are healthy again within 1.5 s after the rebuild', check: recoversWithin(1500) },
      ],
    },
  ],
};

export default example;
