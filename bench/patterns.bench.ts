/**
 * Per-call overhead of the resilience patterns on the happy path: a closed
 * breaker and a retry policy whose call succeeds at once, next to cockatiel
 * 3 and opossum 8 doing the same in this same run (ns per call; ratio < 1
 * means faster than the library). No world runs: the call resolves at once,
 * so nothing needs the scheduler to advance.
 */
import { createRequire } from 'node:module';
import { circuitBreaker, ConsecutiveBreaker, CountBreaker, ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { CircuitBreaker } from '../src/patterns/resilience/circuit-breaker.js';
import { RetryPolicy } from '../src/patterns/resilience/retry.js';
import { Rng } from '../src/sim/rng.js';
import { VirtualScheduler } from '../src/sim/scheduler.js';
import { measure, report } from './util.js';

/** The part of opossum's API used here (it ships no types). */
interface Opossum {
  fire(): Promise<unknown>;
  shutdown(): void;
}
type OpossumCtor = new (action: () => Promise<unknown>, options: Record<string, unknown>) => Opossum;
const OpossumBreaker = createRequire(import.meta.url)('opossum') as OpossumCtor;

const CALLS = 200_000;
const call = () => Promise.resolve(1);

/** ns per call of `execute`, the median of several timed loops of CALLS awaited calls. */
async function nsPerCall(execute: () => Promise<unknown>): Promise<number> {
  const ms = await measure(async () => {
    for (let i = 0; i < CALLS; i++) await execute();
  }, 7);
  return (ms * 1e6) / CALLS;
}

export async function run(): Promise<void> {
  const clock = new VirtualScheduler();

  const ours = new CircuitBreaker({ clock, policy: { kind: 'consecutive', failureThreshold: 5 }, breakDuration: 10_000 });
  const oursCount = new CircuitBreaker({ clock, policy: { kind: 'count', windowSize: 100, failureRateThreshold: 0.5 }, breakDuration: 10_000 });
  const oursTime = new CircuitBreaker({ clock, policy: { kind: 'time', windowMs: 10_000, failureRateThreshold: 0.5 }, breakDuration: 10_000 });
  const cockatielConsecutive = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  const cockatielCount = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new CountBreaker({ threshold: 0.5, size: 100 }) });
  const opossum = new OpossumBreaker(call, { timeout: false, errorThresholdPercentage: 50, resetTimeout: 10_000 });

  const oursRetry = new RetryPolicy({ clock, rng: new Rng(1).fork('bench'), maxAttempts: 3 });
  const cockatielRetry = retry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() });

  // Interleave the contenders so drift on a shared machine hits all of them alike.
  const figures = new Map<string, number[]>();
  const contenders: Array<[string, () => Promise<unknown>]> = [
    ['bare call', () => call()],
    ['breaker consecutive', () => ours.execute(call)],
    ['cockatiel consecutive', () => cockatielConsecutive.execute(call)],
    ['breaker count window', () => oursCount.execute(call)],
    ['cockatiel count window', () => cockatielCount.execute(call)],
    ['breaker time window', () => oursTime.execute(call)],
    ['opossum', () => opossum.fire()],
    ['retry', () => oursRetry.execute(call)],
    ['cockatiel retry', () => cockatielRetry.execute(call)],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [name, execute] of contenders) {
      const list = figures.get(name) ?? [];
      list.push(await nsPerCall(execute));
      figures.set(name, list);
    }
  }
  opossum.shutdown();
  const ns = (name: string) => Math.min(...figures.get(name)!);

  console.log(`bare awaited call: ${ns('bare call').toFixed(0)} ns (included in every figure below)`);
  report('closed breaker, consecutive, ns/call', ns('breaker consecutive'), 'ns', ns('cockatiel consecutive'), 'cockatiel ConsecutiveBreaker', '≤ 1.00');
  report('closed breaker, count window, ns/call', ns('breaker count window'), 'ns', ns('cockatiel count window'), 'cockatiel CountBreaker', '≤ 1.00');
  report('closed breaker, count window, ns/call', ns('breaker count window'), 'ns', ns('opossum'), 'opossum 8 (timeout off)');
  report('closed breaker, time window, ns/call', ns('breaker time window'), 'ns', ns('opossum'), 'opossum 8 (timeout off)');
  report('retry, first call succeeds, ns/call', ns('retry'), 'ns', ns('cockatiel retry'), 'cockatiel retry', '≤ 1.00');
}
