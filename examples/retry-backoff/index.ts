import type { Check, Example, RunOutcome } from '../types.js';
import type { TraceEventOf } from 'playground';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import jitter from './solution-jitter.ts?raw';
import noRetry4xx from './solution-no-retry-4xx.ts?raw';
import longerOutageStart from './start-longer-outage.ts?raw';
import longerOutageSolution from './solution-longer-outage.ts?raw';
import meta from './meta.js';

/** inventory-service is down until then (fault plan). */
const DOWN_TO = 2500;
/**
 * Most calls inventory-service may see in any one second after it is back.
 * Measured with seed `herd-2`: 50 without jitter (all retries of the flash
 * sale within 50 ms), 18 with full jitter (15–22 over twelve seeds).
 */
const MAX_PER_SECOND = 25;
/** Flash-sale orders that must end reserved (30 of 50 without jitter, 50 with it; 47–50 over other seeds). */
const MIN_RESERVED = 45;

type Request = TraceEventOf<'http.request'>;
const inventoryRequests = (run: RunOutcome) => eventsOf(run, 'http.request', (e) => e.target === 'inventory-service');
const orderIdOf = (e: { body?: unknown }) => (typeof e.body === 'object' && e.body !== null ? String((e.body as { orderId?: unknown }).orderId) : undefined);

/** The busiest one-second window of requests from `from` on: its start and its requests. */
function busiestSecond(requests: Request[], from: number): Request[] {
  const after = requests.filter((e) => e.time >= from);
  let best: Request[] = [];
  for (let i = 0, j = 0; i < after.length; i++) {
    while (after[i]!.time - after[j]!.time >= 1000) j++;
    if (i - j + 1 > best.length) best = after.slice(j, i + 1);
  }
  return best;
}

/** Inventory answers with the order they were for. */
function inventoryAnswers(run: RunOutcome) {
  const byId = new Map(inventoryRequests(run).map((r) => [r.requestId, r]));
  return eventsOf(run, 'http.response', (e) => e.source === 'inventory-service' && !e.late).map((response) => ({ response, request: byId.get(response.requestId) }));
}

/** The restarted inventory service never has to refuse a call. */
const noOverload: Check = {
  id: 'no-overload',
  title: 'the restarted inventory service is never overloaded (no 503)',
  check: (run) => {
    const overloaded = eventsOf(run, 'http.response', (e) => e.source === 'inventory-service' && e.status === 503);
    return overloaded.length === 0
      ? pass('inventory-service never had to refuse a call.')
      : fail(`Expected no 503 from inventory-service, but it refused ${overloaded.length} calls because more than 10 arrived at once.`, overloaded);
  },
};

/** Flash-sale customers (order-1 … order-50). */
const FLASH_SALE = 50;
/** The longest restart in the schedules of the longer-outage exercise (ms). */
const LONGEST_OUTAGE = 9000;
/** Schedules where the inventory service restarts in 1 to 9 s, from the start of the run. */
const LONGER_OUTAGES = {
  services: { 'inventory-service': { down: { chance: 1, count: { min: 1, max: 1 }, start: { min: 0, max: 0 }, length: { min: 1000, max: LONGEST_OUTAGE } } } },
};

/** Every flash-sale order ends reserved. */
const everyOrderReserved: Check = {
  id: 'every-order-reserved',
  title: `all ${FLASH_SALE} flash-sale orders are reserved, however long the restart (up to ${LONGEST_OUTAGE / 1000} s)`,
  check: (run) => {
    const failed = runFailed(run);
    if (failed) return failed;
    const flashSale = eventsOf(run, 'http.response', (e) => e.source === 'order-service' && e.target === 'client' && Number(/^order-(\d+)$/.exec(orderIdOf(e) ?? '')?.[1]) <= FLASH_SALE);
    const lost = flashSale.filter((e) => e.status !== 201);
    if (flashSale.length < FLASH_SALE) return fail(`Only ${flashSale.length} of the ${FLASH_SALE} flash-sale customers got an answer.`);
    return lost.length === 0
      ? pass(`All ${FLASH_SALE} flash-sale orders reserved.`)
      : fail(`${lost.length} of ${FLASH_SALE} customers were told ${[...new Set(lost.map((e) => e.status))].join('/')}: they ran out of attempts before inventory-service was back.`, lost);
  },
};

const example: Example = {
  ...meta,
  summary: 'Fifty customers retry a restarting inventory service with the same exponential delays, so their retries arrive together and knock it over again.',
  objectives: [
    'Retry transient failures with exponentially growing delays',
    'Explain why identical delays make a thundering herd, and spread retries with full jitter',
    'Retry only what may succeed later: not a 400 or a 404',
    'Measure the load a recovering service sees, in calls per second',
  ],
  lesson,
  code,
  seed: 'herd-2',
  faults: { services: { 'inventory-service': { down: [{ from: 0, to: DOWN_TO }] } } },
  expected: [
    {
      id: 'herd',
      title: 'without jitter, the retries arrive together',
      check: (run) => {
        const peak = busiestSecond(inventoryRequests(run), DOWN_TO);
        return peak.length >= 40 ? pass(`${peak.length} calls within one second from ${Math.round(peak[0]!.time)} ms.`) : fail(`Expected a spike of retries; the busiest second had ${peak.length} calls.`);
      },
    },
    {
      id: 'overload',
      title: 'the spike overloads the restarted inventory service',
      check: (run) => {
        const overloaded = eventsOf(run, 'http.response', (e) => e.source === 'inventory-service' && e.status === 503);
        return overloaded.length > 0 ? pass(`${overloaded.length} "overloaded" answers.`) : fail('Expected the inventory service to answer 503 (overloaded).');
      },
    },
  ],
  exercises: [
    {
      id: 'jitter',
      title: 'Spread the retries with full jitter',
      task: [
        'After its restart the inventory service handles 10 requests at a time and answers `503 overloaded` beyond that. Every customer of the flash sale waits exactly 1 s, 2 s, 4 s, 8 s between attempts, so all 50 retries arrive within the same 50 ms (Sequence view at 3 s and 7 s), most are refused, and they come back together again.',
        '',
        'Add **full jitter** to `retryWithExponentialBackoff`: wait a random time between 0 and the exponential delay.',
        '',
        `Done when: after the inventory service is back (${DOWN_TO} ms) it never sees more than ${MAX_PER_SECOND} calls in any one second, never answers 503, and at least ${MIN_RESERVED} of the 50 flash-sale orders are reserved.`,
      ].join('\n'),
      hint: [
        '1. The retries collide because every customer computes exactly the same delay. Backoff decides *how long* on average; something must make each customer\'s wait different.',
        '2. That something is randomness (jitter). With *full* jitter each wait is a random time anywhere between 0 and the exponential delay, so the retries of one attempt spread over the whole window instead of landing together at its end.',
        '3. `Math.random()` is seeded in the playground, so a jittered run is still reproducible. Change only the line that computes `delay`.',
        '4. In code: `const delay = Math.random() * baseDelay * 2 ** attempt;`.',
      ].join('\n'),
      solution: jitter,
      checks: [
        {
          id: 'calls-spread-out',
          title: `inventory-service sees at most ${MAX_PER_SECOND} calls in any one second after it is back`,
          check: (run) => {
            const peak = busiestSecond(inventoryRequests(run), DOWN_TO);
            if (peak.length === 0) return fail(`No call reached inventory-service after ${DOWN_TO} ms: the orders must still be retried until it is back.`);
            return peak.length <= MAX_PER_SECOND
              ? pass(`The busiest second had ${peak.length} calls.`)
              : fail(
                  `Expected at most ${MAX_PER_SECOND} calls per second once inventory-service was back, but ${peak.length} arrived between ` +
                    `${Math.round(peak[0]!.time)} and ${Math.round(peak[0]!.time) + 1000} ms: the retries are still in step.`,
                  peak,
                );
          },
        },
        noOverload,
        {
          id: 'orders-reserved',
          title: `at least ${MIN_RESERVED} of the 50 flash-sale orders are reserved`,
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const answers = eventsOf(run, 'http.response', (e) => e.source === 'order-service' && e.target === 'client');
            const reserved = answers.filter((e) => e.status === 201);
            const lost = answers.filter((e) => e.status === 503);
            return reserved.length >= MIN_RESERVED
              ? pass(`${reserved.length} orders reserved.`)
              : fail(`Expected at least ${MIN_RESERVED} reserved orders, but only ${reserved.length} were; ${lost.length} customers got 503 after every retry failed.`, lost);
          },
        },
      ],
    },
    {
      id: 'no-retry-4xx',
      title: 'Do not retry a bad request',
      task: [
        'After the flash sale two customers send orders no retry can fix: an unknown item (inventory answers **404**) and a quantity of 0 (**400**). The retry function tries each of them five times over 15 seconds, and the customer finally hears "503, try again later".',
        '',
        'Make `retryWithExponentialBackoff` give up at once on a 4xx answer (except 408 and 429, which do mean "later"), and let the order service pass that status on to the customer. Keep retrying refused connections, timeouts and 5xx.',
      ].join('\n'),
      hint: [
        '1. A retry helps only when the same request could get a different answer later. When the service answered that the request itself is wrong (a 4xx), it will answer the same again. Two 4xx are exceptions: 408 (the server gave up waiting) and 429 (too many requests) mean "later".',
        "2. So the `catch` in `retryWithExponentialBackoff` must look at the error before it waits. The HTTP client throws `HttpStatusError` (import it from 'playground') with the answer's `status`; refused connections and timeouts are other error classes.",
        '3. Rethrow at once when the status is a 4xx other than 408 and 429; keep waiting and retrying for everything else.',
        '4. In the order handler\'s `catch`, answer the customer with that status when the error is such a 4xx, and keep 503 for the rest: `error instanceof HttpStatusError && error.status < 500 ? error.status : 503`.',
      ].join('\n'),
      solution: noRetry4xx,
      checks: [
        {
          id: 'no-retry-4xx',
          title: 'a request answered 4xx is sent once; refused ones are still retried',
          check: (run) => {
            const requests = inventoryRequests(run);
            const answers = inventoryAnswers(run);
            const rejected = answers.filter((a) => a.response.status >= 400 && a.response.status < 500 && a.response.status !== 408 && a.response.status !== 429);
            if (rejected.length === 0) return fail('No request was answered 400 or 404: the two bad orders must still reach inventory-service.');
            // Requests sent after the first 4xx answer for the same order.
            const firstNo = new Map<string, number>();
            for (const { response, request } of rejected) {
              const id = request && orderIdOf(request);
              if (id !== undefined && !firstNo.has(id)) firstNo.set(id, response.seq);
            }
            const repeats = requests.filter((r) => {
              const no = firstNo.get(orderIdOf(r) ?? '');
              return no !== undefined && r.seq > no;
            });
            if (repeats.length > 0) {
              const ids = [...new Set(repeats.map(orderIdOf))];
              return fail(`Expected no retry after a 4xx answer, but ${ids.join(' and ')} ${ids.length > 1 ? 'were' : 'was'} sent ${repeats.length} more time(s) after inventory-service said the request was wrong.`, [...rejected.map((a) => a.response), ...repeats]);
            }
            const refused = eventsOf(run, 'http.refused', (e) => e.target === 'inventory-service');
            const refusedIds = new Set(refused.map((e) => orderIdOf(requests.find((r) => r.requestId === e.requestId) ?? {})));
            const retried = [...refusedIds].filter((id) => requests.filter((r) => orderIdOf(r) === id).length > 1);
            if (refused.length > 0 && retried.length === 0) return fail('Calls refused while inventory-service was down were not retried: a refused connection is worth another try.', refused);
            return pass(`${rejected.length} bad request(s) sent once each; ${retried.length} orders refused during the outage were retried.`);
          },
        },
        {
          id: 'bad-order-told',
          title: 'the customer of a bad order gets the 4xx, not 503',
          check: (run) => {
            const bad = new Map<string, number>();
            for (const { response, request } of inventoryAnswers(run)) {
              const id = request && orderIdOf(request);
              if (id && response.status >= 400 && response.status < 500) bad.set(id, response.status);
            }
            if (bad.size === 0) return fail('No order was answered 4xx by inventory-service.');
            const told = eventsOf(run, 'http.response', (e) => e.source === 'order-service' && e.target === 'client');
            const wrong = told.filter((e) => {
              const id = orderIdOf(e);
              return id !== undefined && bad.has(id) && e.status !== bad.get(id);
            });
            return wrong.length === 0
              ? pass(`The customers of ${[...bad.keys()].join(', ')} were told what is wrong with their order.`)
              : fail(`Expected the order service to answer ${[...bad.values()].join('/')} for the bad orders, but it answered ${wrong.map((e) => `${orderIdOf(e)}: ${e.status}`).join(', ')}.`, wrong);
          },
        },
      ],
    },
    {
      id: 'longer-outage',
      title: 'Retry through a longer restart',
      task: [
        `With jitter and no retries of bad requests (**Load the starting code**: both fixes so far), the example\'s run is fine: the inventory service is back after ${DOWN_TO / 1000} s. But a restart does not always take ${DOWN_TO / 1000} s.`,
        '',
        `Press **Explore** in the views column: its schedules keep the inventory service down for 1 to ${LONGEST_OUTAGE / 1000} s. In many of them some flash-sale customers are told 503. **Shrink** a failing case and **Replay** it, then read the \`retry N in … ms\` lines in the Logs of one customer who got 503: how long did they wait in all?`,
        '',
        `Change the retries so that **all ${FLASH_SALE} flash-sale orders are reserved and the restarted service is never overloaded, in all 200 schedules**, then press **Check over 200 schedules**.`,
      ].join('\n'),
      hint: [
        '1. Full jitter makes some waits very short. Four retries whose random waits add up to less than the outage are all spent while the service is still down.',
        '2. What the caller cares about is *time*, not a number of attempts: keep retrying until a deadline, and give up only when the next wait would end past it.',
        '3. Cap each wait too (say 4 s), so a customer keeps checking instead of sleeping 16 s after the service is back. Keep the jitter: without it the customers come back in step and overload the service again.',
        '4. In code: `const giveUpAt = Date.now() + 30_000;` before the loop, `for (let attempt = 0; ; attempt++)`, and in the catch `const delay = Math.round(Math.random() * Math.min(4000, baseDelay * 2 ** attempt)); if (!worthRetrying(error) || Date.now() + delay > giveUpAt) throw error;`.',
      ].join('\n'),
      solution: longerOutageSolution,
      starter: longerOutageStart,
      explore: { runs: 200, space: LONGER_OUTAGES },
      checks: [everyOrderReserved, noOverload],
    },
  ],
};

export default example;
