import type { TraceEvent } from '../../sim/trace.js';
import { isBreakerState } from './breaker-states.js';
import type { EventView } from './event-view.js';

/**
 * True for events a resilience policy records under its own name (`source` =
 * the policy's name): breaker state changes, breaker calls, retries,
 * timeouts, fallbacks and bulkhead refusals.
 */
export function isPolicyEvent(e: TraceEvent): boolean {
  switch (e.kind) {
    case 'state':
      return isBreakerState(e.from) && isBreakerState(e.to);
    case 'breaker.call':
    case 'retry.scheduled':
    case 'retry.gaveUp':
    case 'timeout.fired':
    case 'timeout.orphan':
    case 'fallback.used':
    case 'bulkhead.rejected':
      return true;
    default:
      return false;
  }
}

/**
 * Events with the outcome `rejected` cast no vote: a breaker refuses a call
 * before any call ends, and an orphan of a timeout fails long after its call did.
 */
function isRejection(e: TraceEvent): boolean {
  return (e.kind === 'breaker.call' || e.kind === 'timeout.orphan') && e.outcome === 'rejected';
}

/**
 * Which service each resilience policy lives in. Patterns record their
 * events with `source` = the policy's name (`payment-cb`, `pay-retry`), not
 * the calling service's; a policy's host is the service that most often had
 * just received the outcome of an HTTP call (response, timeout, refusal) at
 * the same virtual time as the policy's events. Policies whose name is also
 * the name of a party of HTTP or broker traffic keep their own name.
 * One pass over the trace.
 *
 * @example
 * patternHosts(events).get('payment-cb') // 'orders'
 */
export function patternHosts(events: readonly TraceEvent[]): Map<string, string> {
  const parties = new Set<string>();
  const votes = new Map<string, Map<string, number>>();
  // The caller that just learnt how a call ended, and when: a policy's bookkeeping about
  // that outcome (call result, retry, state change) is recorded at the same virtual time.
  let caller: string | undefined;
  let at = NaN;
  for (const e of events) {
    if (e.kind.startsWith('http.') || e.kind.startsWith('mq.')) {
      if (e.source !== undefined) parties.add(e.source);
      if (e.target !== undefined) parties.add(e.target);
      if (e.kind === 'http.response') caller = e.target;
      else if (e.kind !== 'http.request' && e.kind.startsWith('http.')) caller = e.source;
      else continue;
      at = e.time;
      continue;
    }
    if (caller === undefined || e.time !== at || e.source === undefined || !isPolicyEvent(e)) continue;
    if (isRejection(e)) continue;
    let v = votes.get(e.source);
    if (!v) votes.set(e.source, (v = new Map()));
    v.set(caller, (v.get(caller) ?? 0) + 1);
  }
  const hosts = new Map<string, string>();
  for (const [policy, v] of votes) {
    if (parties.has(policy)) continue;
    let best: string | undefined;
    let n = 0;
    for (const [host, c] of v) if (c > n) [best, n] = [host, c];
    if (best !== undefined && best !== policy) hosts.set(policy, best);
  }
  return hosts;
}

/** Moves a note recorded under a policy's name onto its host service's lifeline (see {@link patternHosts}). */
export function placeOnHost(v: EventView, hosts: ReadonlyMap<string, string>): EventView {
  if (v.shape !== 'note') return v;
  const host = hosts.get(v.from);
  return host === undefined ? v : { ...v, from: host, to: host };
}
