import type { TraceEvent } from '../../sim/trace.js';
import { isBreakerState, type EventView } from './describe-event.js';
import { loose, str, type LooseEvent } from './trace-access.js';

const PATTERN_FAMILIES = new Set(['breaker', 'retry', 'timeout', 'bulkhead', 'fallback', 'circuit']);

/** True for events a resilience pattern records under its own name (`source` = the policy's name). */
export function isPatternEvent(e: LooseEvent): boolean {
  if (e.kind === 'state') return isBreakerState(String(e['from'] ?? '')) && isBreakerState(String(e['to'] ?? ''));
  const dot = e.kind.indexOf('.');
  return dot > 0 && PATTERN_FAMILIES.has(e.kind.slice(0, dot));
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
  for (const event of events) {
    const e = loose(event);
    if (e.kind.startsWith('http.') || e.kind.startsWith('mq.')) {
      if (e.source !== undefined) parties.add(e.source);
      if (e.target !== undefined) parties.add(e.target);
      if (e.kind === 'http.response') caller = e.target;
      else if (e.kind !== 'http.request' && e.kind.startsWith('http.')) caller = e.source;
      else continue;
      at = e.time;
      continue;
    }
    if (caller === undefined || e.time !== at || e.source === undefined || !isPatternEvent(e)) continue;
    if (e['outcome'] === 'rejected') continue;
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

/** The name of the policy that recorded a pattern event (`breaker`, `policy`, `bulkhead` field, else `component`). */
export function policyName(e: LooseEvent): string | undefined {
  return str(e, 'breaker') ?? str(e, 'policy') ?? str(e, 'bulkhead') ?? str(e, 'component');
}

/** Moves a note recorded under a policy's name onto its host service's lifeline (see {@link patternHosts}). */
export function placeOnHost(v: EventView, hosts: ReadonlyMap<string, string>): EventView {
  if (v.shape !== 'note') return v;
  const host = hosts.get(v.from);
  return host === undefined ? v : { ...v, from: host, to: host };
}
