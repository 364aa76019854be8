import type { FallbackPolicy } from './fallback.js';
import { InvalidOptionError } from '../options.js';
import type { Policy, PolicyContext, PolicyFn } from './policy.js';

/**
 * Combines policies into one, **outermost first**:
 * `wrap(a, b, c).execute(fn)` runs `a.execute(() => b.execute(() => c.execute(fn)))`.
 * The context the call sees merges what each layer adds (the innermost
 * timeout's signal, the retry's attempt number).
 *
 * Recommended order, outer to inner:
 * `wrap(fallback, retry, breaker, bulkhead, timeout)`
 * - **timeout innermost**: each attempt gets its own limit, and an attempt
 *   that timed out reaches the breaker as a failure (a slow callee is an
 *   unhealthy one).
 * - **bulkhead inside the breaker**: an open breaker refuses before a slot
 *   is taken; a full bulkhead's refusal is ignored by the breaker (it says
 *   nothing about the callee).
 * - **breaker inside retry**: every attempt is seen and counted by the
 *   breaker; once it opens, the retry gets a `BrokenCircuitError`, which is
 *   not retried by default, so the caller stops hammering a broken service
 *   instead of waiting out its backoff against it.
 * - **fallback outermost**: it answers only when everything inside has given up.
 *   (It is the only policy that may answer with a value of another type, and
 *   the types only allow it in the first place.)
 * For one limit on the whole call, retries included, put a second timeout
 * outside the retry (or use the retry's `deadlineMs`).
 *
 * @example
 * const policy = wrap(
 *   new RetryPolicy({ clock, rng: rng.fork('retry'), maxAttempts: 3 }),
 *   new CircuitBreaker({ clock, policy: { kind: 'consecutive', failureThreshold: 5 } }),
 *   new TimeoutPolicy({ clock, timeoutMs: 1_000 }),
 * );
 * const res = await policy.execute(({ signal }) => http.get('http://stock/items', { signal }));
 */
export function wrap<F>(outermost: FallbackPolicy<F>, ...inner: Policy[]): Policy<F>;
export function wrap(outermost: Policy, ...inner: Policy[]): Policy;
export function wrap<F>(outermost: Policy<F>, ...inner: Policy[]): Policy<F> {
  const policies: Policy<F>[] = outermost === undefined ? [] : [outermost, ...inner];
  if (policies.length === 0) throw new InvalidOptionError('wrap', 'policies', 'at least one policy', policies);
  policies.forEach((p, i) => {
    if (typeof p !== 'object' || p === null || typeof p.execute !== 'function') throw new InvalidOptionError('wrap', `policies[${i}]`, 'a policy (an object with execute())', p);
  });
  return new PolicyWrap(policies);
}

class PolicyWrap<F> implements Policy<F> {
  readonly name: string;

  constructor(private readonly policies: readonly Policy<F>[]) {
    this.name = policies.map((p) => p.name).join(' > ');
  }

  execute<T>(fn: PolicyFn<T>, signal?: AbortSignal): Promise<T | F> {
    const policies = this.policies;
    const layer = (i: number, outer: PolicyContext): Promise<unknown> | unknown => {
      if (i === policies.length) return fn(outer);
      return policies[i]!.execute((inner) => layer(i + 1, { ...outer, ...inner }), outer.signal);
    };
    return layer(0, { signal }) as Promise<T | F>;
  }
}
