import type { Example, Check, RunOutcome } from '../types.js';
import type { TraceEventOf } from 'playground';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import forgetFailures from './solution-forget-failures.ts?raw';
import oneTrial from './solution-one-trial.ts?raw';
import library from './solution-library.ts?raw';
import meta from './meta.js';

/** The outage of payment-service: every payment fails with 503 (in the example's code). */
const DOWN_FROM = 6000;
const DOWN_TO = 14000;
/** A breaker that counts failures in a row opens within this long after the outage begins. */
const OPEN_WITHIN_MS = 1500;

type BreakerState = 'closed' | 'open' | 'half-open';
type Transition = { event: TraceEventOf<'state'>; component: string; from: BreakerState; to: BreakerState };

/** `CLOSED`, `halfOpen`, `HALF_OPEN`, `half-open` … → a breaker state. */
function breakerState(s: string): BreakerState | undefined {
  const n = s.toLowerCase().replace(/[-_\s]/g, '');
  return n === 'closed' ? 'closed' : n === 'open' ? 'open' : n === 'halfopen' ? 'half-open' : undefined;
}

/** Breaker state changes, from `state` events whose from/to are breaker states. */
function transitions(run: RunOutcome): Transition[] {
  const out: Transition[] = [];
  for (const event of eventsOf(run, 'state')) {
    const from = breakerState(String(event.from));
    const to = breakerState(String(event.to));
    if (from && to) out.push({ event, component: event.component, from, to });
  }
  return out;
}

const paymentRequests = (run: RunOutcome) => eventsOf(run, 'http.request', (e) => e.target === 'payment-service');
const orderRequests = (run: RunOutcome) => eventsOf(run, 'http.request', (e) => e.target === 'order-service' && e.path === '/orders');
const at = (ms: number) => `${Math.round(ms)} ms`;

const staysClosedWhileHealthy: Check = {
  id: 'stays-closed-while-healthy',
  title: `the breaker stays closed while payment-service is healthy (before ${DOWN_FROM} ms)`,
  check: (run) => {
    const early = transitions(run).filter((t) => t.to === 'open' && t.event.time < DOWN_FROM);
    if (early.length === 0) return pass(`No opening before the outage began at ${DOWN_FROM} ms.`);
    const first = early[0]!.event;
    const before = eventsOf(run, 'http.response', (e) => e.source === 'payment-service' && e.seq < first.seq && !e.late);
    const failed = before.filter((e) => e.status >= 500);
    return fail(
      `Expected no opening while payment-service is healthy, but ${early[0]!.component} opened at ${at(first.time)} ` +
        `(the outage begins only at ${DOWN_FROM} ms). Before that, ${before.length - failed.length} payment calls succeeded and ${failed.length} failed: ` +
        `the failures were scattered between successes, yet the breaker kept counting them.`,
      [first, ...failed],
    );
  },
};

const opensWhenDown: Check = {
  id: 'opens-when-down',
  title: `the breaker opens within ${OPEN_WITHIN_MS / 1000} s after payment-service starts failing every call`,
  check: (run) => {
    const all = transitions(run);
    const opened = all.find((t) => t.from === 'closed' && t.to === 'open' && t.event.time >= DOWN_FROM && t.event.time < DOWN_FROM + OPEN_WITHIN_MS);
    if (opened) return pass(`${opened.component} opened at ${at(opened.event.time)}, ${at(opened.event.time - DOWN_FROM)} after the outage began.`);
    if (all.length === 0) return fail('No breaker state change was recorded at all: keep the breaker in the call and keep reporting its states (reportState, or the library breaker).');
    const closedOpen = all.filter((t) => t.from === 'closed' && t.to === 'open');
    return fail(
      `Expected the breaker to go from closed to open between ${DOWN_FROM} and ${DOWN_FROM + OPEN_WITHIN_MS} ms (payment-service answers every call with 503 from ${DOWN_FROM} ms; a breaker that does not count a 503 as a failure never notices), ` +
        `but it opened from closed at: ${closedOpen.map((t) => at(t.event.time)).join(', ') || 'never'}.`,
      closedOpen.map((t) => t.event),
    );
  },
};

const healthyOrdersReachPayment: Check = {
  id: 'healthy-orders-reach-payment',
  title: 'every order placed while payment-service is healthy is sent to payment-service',
  check: (run) => {
    const failed = runFailed(run);
    if (failed) return failed;
    const placed = orderRequests(run).filter((e) => e.time < DOWN_FROM - 10);
    const sent = paymentRequests(run).filter((e) => e.time < DOWN_FROM);
    if (placed.length === 0) return fail('No orders were placed before the outage began.');
    if (sent.length >= placed.length) return pass(`All ${placed.length} orders placed before ${DOWN_FROM} ms were sent to payment-service.`);
    const refused = eventsOf(run, 'log', (e) => e.time < DOWN_FROM && /open/i.test(e.message));
    return fail(
      `${placed.length} orders were placed before the outage began, but only ${sent.length} payment calls were made: ` +
        `${placed.length - sent.length} customers got "payment pending" from an open breaker while payment-service was working.`,
      refused,
    );
  },
};

const oneTrialCall: Check = {
  id: 'one-trial-call',
  title: 'while half-open, exactly one trial call reaches payment-service',
  check: (run) => {
    const all = transitions(run);
    const requests = paymentRequests(run);
    let stretches = 0;
    const crowded: { from: TraceEventOf<'state'>; calls: TraceEventOf<'http.request'>[] }[] = [];
    all.forEach((t, i) => {
      if (t.to !== 'half-open') return;
      const end = all.slice(i + 1).find((u) => u.component === t.component)?.event.seq ?? Infinity;
      const calls = requests.filter((r) => r.seq > t.event.seq && r.seq < end);
      if (calls.length > 0) stretches++;
      if (calls.length > 1) crowded.push({ from: t.event, calls });
    });
    if (crowded.length > 0) {
      const c = crowded[0]!;
      return fail(
        `Expected one trial call per half-open stretch, but the stretch that began at ${at(c.from.time)} let ${c.calls.length} calls through to payment-service ` +
          `(${crowded.length} crowded stretch(es) in all): a recovering service gets the whole queue at once, and whichever call fails first slams the breaker shut again.`,
        [c.from, ...c.calls],
      );
    }
    if (stretches === 0) return fail('The breaker never let a trial call through in a half-open state: it should go half-open after each break and try once.');
    return pass(`${stretches} half-open stretch(es), each with exactly one trial call.`);
  },
};

const closesAfterRecovery: Check = {
  id: 'closes-after-recovery',
  title: `the breaker closes again after payment-service is back (${DOWN_TO} ms) and orders are paid again`,
  check: (run) => {
    const closed = transitions(run).find((t) => t.to === 'closed' && t.event.time >= DOWN_TO);
    if (!closed) {
      const last = transitions(run).at(-1);
      return fail(
        `Expected the breaker to close again once payment-service was back at ${DOWN_TO} ms, but it never did` +
          (last ? ` (its last change: ${last.from} → ${last.to} at ${at(last.event.time)}).` : '.'),
        last ? [last.event] : [],
      );
    }
    const paid = eventsOf(run, 'http.response', (e) => e.source === 'order-service' && e.target === 'client' && e.status === 201 && e.seq > closed.event.seq);
    return paid.length > 0
      ? pass(`Closed at ${at(closed.event.time)}; ${paid.length} orders were paid after that.`)
      : fail(`The breaker closed at ${at(closed.event.time)} but no order was paid after that.`, [closed.event]);
  },
};

const libraryBreaker: Check = {
  id: 'library-breaker',
  title: "every payment call goes through the playground's circuitBreaker",
  check: (run) => {
    const calls = eventsOf(run, 'breaker.call');
    const made = calls.filter((c) => c.outcome !== 'rejected');
    const rejected = calls.filter((c) => c.outcome === 'rejected');
    const requests = paymentRequests(run);
    if (calls.length === 0) return fail('No breaker.call events: the payment call does not go through circuitBreaker({ … }) from playground yet.');
    if (made.length < requests.length)
      return fail(`${requests.length} requests reached payment-service but the library breaker saw only ${made.length} of them: every payment call must go through paymentBreaker.execute(…).`, requests.slice(0, 10));
    if (rejected.length === 0) return fail('The library breaker never refused a call: it should open while payment-service fails every call.');
    return pass(`The library breaker saw ${made.length} calls and refused ${rejected.length} while open or half-open.`);
  },
};

const example: Example = {
  ...meta,
  summary: 'A flaky payment service, a hand-written breaker that never forgets a failure, and a half-open state that lets everybody through.',
  objectives: [
    'Explain the closed, open and half-open states and what moves a breaker between them',
    'Tell a breaker that reacts to a failing service from one that reacts to old, scattered errors',
    'Limit half-open to a few trial calls so a recovering service is not flooded',
    'Answer with a fallback while the breaker is open, and read it all in the Breakers view',
  ],
  lesson,
  code,
  seed: 'cb-1',
  faults: { services: { 'payment-service': { errorRate: 0.2, errorStatus: 503 } } },
  expected: [
    {
      id: 'opens-early',
      title: 'the hand-written breaker opens while payment-service is still working',
      check: (run) => {
        const early = transitions(run).find((t) => t.from === 'closed' && t.to === 'open' && t.event.time < DOWN_FROM);
        return early ? pass(`It opened at ${at(early.event.time)}, before the outage.`) : fail('Expected the flawed breaker to open before the outage.');
      },
    },
    {
      id: 'everyone-answered',
      title: 'every customer gets an answer (paid or pending)',
      check: (run) => {
        const orders = orderRequests(run);
        const answered = eventsOf(run, 'http.response', (e) => e.source === 'order-service' && e.target === 'client' && (e.status === 201 || e.status === 202));
        return orders.length > 0 && answered.length === orders.length
          ? pass(`${answered.length} of ${orders.length} orders answered.`)
          : fail(`${orders.length} orders placed, ${answered.length} answered with 201/202.`);
      },
    },
  ],
  exercises: [
    {
      id: 'forget-failures',
      title: 'Forget failures after a success',
      task: [
        'payment-service fails about one call in five even on a good day, yet the breaker opens at about 2.5 s, long before the outage that begins at 6 s.',
        'The class counts **every** failure since it was created, and never uses its `monitoringPeriod`.',
        '',
        'Change `CircuitBreaker` so that a successful call resets the failure count: only **5 failures in a row** open it. Every failure still counts, 503s included: from 6 s every payment fails with 503, and the breaker must notice. Keep `reportState` so the Breakers view (and the checks) see its states.',
        '',
        'Done when: it stays closed while payment-service is healthy, opens within 1.5 s after payment-service starts failing every call, and every order placed before 6 s is sent to payment-service.',
      ].join('\n'),
      hint: [
        '1. A breaker should react to failures that come together (the service is failing now), not to every failure it has ever seen. A success in between shows the service works.',
        '2. Every failure still counts, the 503s included: a breaker that ignores them would never notice the outage at 6 s, when every call ends in 503.',
        '3. So the count must go back to zero whenever a call succeeds: then only a run of failures in a row reaches the threshold.',
        '4. In `execute`, the `try` branch after `await fn()` resets `failures` only when the state is `HALF_OPEN`. Reset it on every success.',
      ].join('\n'),
      solution: forgetFailures,
      checks: [staysClosedWhileHealthy, opensWhenDown, healthyOrdersReachPayment],
    },
    {
      id: 'one-trial',
      title: 'Half-open: one trial call, not everybody',
      task: [
        'When the break is over, the class switches to HALF_OPEN and then lets **every** call through until one of them settles. Look at the Sequence view around a HALF_OPEN change: a second call gets in while the trial is still running, fails (one in five does), and shuts the breaker again, even though the trial succeeds a moment later.',
        '',
        'Let exactly **one** trial call through while half-open (refuse the others at once, so they get the fallback). A successful trial closes the breaker, a failed one opens it again.',
        '',
        'Done when: every half-open stretch has exactly one call to payment-service, and the breaker closes again after payment-service comes back at 14 s.',
      ].join('\n'),
      hint: [
        '1. Half-open is a question to the service ("are you back?"), and one call answers it. The other callers should get the fallback at once while the question is open.',
        '2. So the breaker must know how many trial calls are running while it is half-open.',
        '3. Keep a counter: set it to 0 when you move to `HALF_OPEN`; while `HALF_OPEN`, refuse a call (throw) if the counter already reached 1, otherwise count it and make the call.',
        '4. The trial decides: a success closes the breaker (and resets the failures), a failure opens it again whatever the failure count.',
      ].join('\n'),
      solution: oneTrial,
      checks: [oneTrialCall, closesAfterRecovery],
    },
    {
      id: 'library',
      title: "Use the playground's circuitBreaker",
      task: [
        'Replace the hand-written class with `circuitBreaker({ … })` from `playground`: `name: \'payment-breaker\'`, a `consecutive` policy with `failureThreshold: 5`, `breakDuration: 5000` and `halfOpen: { permittedCalls: 1 }`. Pass the `signal` it hands you on to `http.post`.',
        '',
        'It records its own state changes (with the window of outcomes that made it open) and every call it lets through or refuses: compare the Breakers view with the hand-written one.',
      ].join('\n'),
      hint: [
        '1. The library breaker takes the same decisions as your class, from options: how failures are counted (the policy), how long a break lasts, how many trial calls half-open allows.',
        "2. Create it once with `circuitBreaker({ name: 'payment-breaker', policy: { kind: 'consecutive', failureThreshold: 5 }, breakDuration: 5000, halfOpen: { permittedCalls: 1 } })`, imported from 'playground'.",
        '3. Its `execute` hands your function a `signal`: pass it on to the HTTP call, so a call the breaker gives up on is cancelled too.',
        '4. `paymentBreaker.execute(({ signal }) => orders.http.post(url, body, { timeout: 2000, signal }))`; the fallback in the `catch` stays as it is.',
      ].join('\n'),
      solution: library,
      checks: [libraryBreaker, staysClosedWhileHealthy, oneTrialCall, closesAfterRecovery],
    },
  ],
};

export default example;
