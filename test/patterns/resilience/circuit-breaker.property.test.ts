import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BreakerPolicy } from '../../../src/patterns/resilience/breaker-policy.js';
import type { BreakerEvent } from '../../../src/patterns/resilience/breaker-reporter.js';
import { CircuitBreaker } from '../../../src/patterns/resilience/circuit-breaker.js';
import { BrokenCircuitError } from '../../../src/patterns/resilience/errors.js';
import { canceledError, deferred, flush, ManualClock, statusError } from '../helpers.js';

type Outcome = 'ok' | 'fail' | 'abort';
type Command = { t: 'start' } | { t: 'finish'; pick: number; outcome: Outcome } | { t: 'advance'; ms: number };

const outcome = fc.constantFrom<Outcome>('ok', 'ok', 'fail', 'fail', 'abort');
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Command>({ t: 'start' }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('finish' as const), pick: fc.nat(), outcome }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 1500 }) }) },
);
const policy: fc.Arbitrary<BreakerPolicy> = fc.oneof(
  fc.integer({ min: 1, max: 3 }).map((n): BreakerPolicy => ({ kind: 'consecutive', failureThreshold: n })),
  fc.integer({ min: 1, max: 4 }).map((n): BreakerPolicy => ({ kind: 'count', windowSize: n, failureRateThreshold: 0.5 })),
  fc.integer({ min: 1, max: 3 }).map((n): BreakerPolicy => ({ kind: 'time', windowMs: 2000, bucketCount: 4, minimumCalls: n, failureRateThreshold: 0.5 })),
);
const config = fc
  .record({ policy, permitted: fc.integer({ min: 1, max: 3 }), closeAfter: fc.integer({ min: 1, max: 3 }), breakMs: fc.integer({ min: 0, max: 1000 }), maxWaitMs: fc.option(fc.integer({ min: 1, max: 3000 })) })
  .map((c) => ({ ...c, closeAfter: Math.min(c.closeAfter, c.permitted) }));

interface Call {
  /** Number of state changes seen when the call was admitted: identifies the state period it started in. */
  period: number;
  admittedIn: string;
  settle: (o: Outcome) => void;
}

describe('circuit breaker properties', () => {
  it('never admits more trial calls than permitted while half-open, and never changes state on a stale outcome', async () => {
    await fc.assert(
      fc.asyncProperty(config, fc.array(command, { minLength: 20, maxLength: 80 }), async (cfg, commands) => {
        const clock = new ManualClock();
        const breaker = new CircuitBreaker({
          clock,
          policy: cfg.policy,
          breakDuration: cfg.breakMs,
          halfOpen: { permittedCalls: cfg.permitted, successesToClose: cfg.closeAfter, ...(cfg.maxWaitMs === null ? {} : { maxWaitMs: cfg.maxWaitMs }) },
        });
        const events: BreakerEvent[] = [];
        breaker.events$.subscribe((e) => events.push(e));
        const stateChanges = () => events.filter((e) => e.type === 'stateChange').length;
        const pending: Call[] = [];
        /** Per half-open period: trials admitted and trials that ended ignored (which free their slot). */
        const trials = new Map<number, { admitted: number; ignored: number }>();

        for (const cmd of commands) {
          if (cmd.t === 'advance') {
            clock.advance(cmd.ms);
          } else if (cmd.t === 'start') {
            const stateBefore = breaker.state;
            const d = deferred();
            let call: Call | undefined;
            const p = breaker.execute(() => {
              call = { period: stateChanges(), admittedIn: breaker.state, settle: (o) => (o === 'ok' ? d.resolve('ok') : d.reject(o === 'fail' ? statusError(503) : canceledError())) };
              return d.promise;
            });
            p.catch(() => undefined);
            if (call === undefined) {
              const e = await p.catch((err: unknown) => err);
              expect(e).toBeInstanceOf(BrokenCircuitError);
              expect(stateBefore === 'closed' && breaker.state === 'closed').toBe(false);
            } else {
              pending.push(call);
              if (call.admittedIn === 'halfOpen') {
                const t = trials.get(call.period) ?? { admitted: 0, ignored: 0 };
                t.admitted++;
                trials.set(call.period, t);
                // Trials holding a slot (running or succeeded) never exceed the permitted number.
                expect(t.admitted - t.ignored).toBeLessThanOrEqual(cfg.permitted);
              }
            }
          } else if (pending.length > 0) {
            const [call] = pending.splice(cmd.pick % pending.length, 1) as [Call];
            const changesBefore = stateChanges();
            const nextAttemptBefore = breaker.snapshot().nextAttemptAt;
            const stale = call.period !== changesBefore;
            call.settle(cmd.outcome);
            await flush();
            if (stale) {
              // A call from an earlier state: reported, but it changes nothing.
              expect(stateChanges()).toBe(changesBefore);
              expect(breaker.snapshot().nextAttemptAt).toBe(nextAttemptBefore);
            }
            const closedNow = events.slice(-1)[0];
            if (closedNow?.type === 'stateChange' && closedNow.to === 'closed' && stateChanges() > changesBefore) {
              expect(stale).toBe(false);
              expect(call.admittedIn).toBe('halfOpen');
            }
            if (call.admittedIn === 'halfOpen' && cmd.outcome === 'abort' && !stale) trials.get(call.period)!.ignored++;
          }
        }
        const s = breaker.snapshot();
        if (s.state === 'halfOpen') expect(s.halfOpen!.inFlight + s.halfOpen!.succeeded).toBeLessThanOrEqual(cfg.permitted);
      }),
      { numRuns: 300, seed: 20240601 },
    );
  });
});
