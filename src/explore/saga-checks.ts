import { ORDER_SAGA_INVARIANTS, checkOrderSaga } from '../patterns/invariants/invariant-checks.js';
import type { InvariantId, InvariantViolation } from '../patterns/invariants/invariant-types.js';
import type { TraceEvent } from '../sim/trace.js';
import type { ExploreCheck } from './judge-run.js';

// One checker pass per run, shared by the checks of every invariant (they all read the same facts).
const reports = new WeakMap<readonly TraceEvent[], Map<InvariantId, InvariantViolation[]>>();

function violationsOf(events: readonly TraceEvent[]): Map<InvariantId, InvariantViolation[]> {
  let byId = reports.get(events);
  if (!byId) {
    byId = new Map();
    for (const v of checkOrderSaga(events).violations) byId.set(v.invariant, [...(byId.get(v.invariant) ?? []), v]);
    reports.set(events, byId);
  }
  return byId;
}

/**
 * The invariants of the order saga and of saga logs (`checkOrderSaga`), one
 * check each (id `saga/<invariant id>`), for an explore of a saga program:
 * money, stock, statuses, messages, compensations. A check passes when its
 * invariant holds (and vacuously when the run has nothing it talks about).
 *
 * @example
 * await explore({ run, seeds, space, checks: sagaInvariantChecks() });
 */
export function sagaInvariantChecks(only?: readonly InvariantId[]): ExploreCheck[] {
  return ORDER_SAGA_INVARIANTS.filter((i) => !only || only.includes(i.id)).map((i) => ({
    id: `saga/${i.id}`,
    title: i.title,
    check(run) {
      const found = violationsOf(run.events).get(i.id) ?? [];
      if (found.length === 0) return { passed: true, message: `${i.title}: holds` };
      const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
      return { passed: false, message: `${found[0]!.message}${more}` };
    },
  }));
}
