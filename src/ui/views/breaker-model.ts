import type { TraceEvent } from '../../sim/trace.js';
import { normalizeBreakerState, type BreakerState } from './breaker-states.js';
import { patternHosts } from './pattern-hosts.js';
import { prefixLength } from './trace-access.js';

/** A span of time a breaker spent in one state. */
export interface BreakerInterval {
  state: BreakerState;
  start: number;
  end: number;
  /** The interval is still going at the end of the view. */
  ongoing: boolean;
}

/** A recorded state change of a breaker. */
export interface BreakerTransition {
  seq: number;
  time: number;
  from: BreakerState;
  to: BreakerState;
  /** Why, when the breaker said (e.g. `failureRate`). */
  reason?: string;
  /** The window of outcomes at the change, when the breaker recorded it (shows why it opened). */
  window?: BreakerWindow;
}

/** A call seen by a breaker (from `breaker.call` events). */
export interface BreakerCallMark {
  seq: number;
  time: number;
  outcome: string;
  slow: boolean;
}

/** Contents of a breaker's window of outcomes, when the breaker recorded one. */
export interface BreakerWindow {
  kind: string;
  calls: number;
  failures: number;
  slowCalls: number;
  failureRate?: number;
  slowCallRate?: number;
  consecutiveFailures?: number;
  buckets?: { start: number; end: number; calls: number; failures: number; slowCalls: number }[];
  /** Virtual time of the event that carried it. */
  time: number;
}

/** Everything the timeline shows of one breaker. */
export interface BreakerTrack {
  name: string;
  /** Service the breaker lives in (the caller it protects), when the trace tells. */
  owner?: string;
  intervals: BreakerInterval[];
  transitions: BreakerTransition[];
  calls: BreakerCallMark[];
  /** State at the end of the view. */
  state: BreakerState;
  /** Latest window snapshot at or before the end of the view. */
  window?: BreakerWindow;
}

/** The breaker timeline model. */
export interface BreakerTimeline {
  tracks: BreakerTrack[];
  /** Virtual time the axis starts at (0). */
  start: number;
  /** Virtual time the axis ends at (`until`, or the last event's time). */
  end: number;
}

/**
 * Builds, per circuit breaker, the intervals it spent closed / open /
 * half-open up to `until`, from `state` events whose states are breaker states
 * (any spelling: `OPEN`, `halfOpen`, `half-open`) and from `breaker.call` events.
 * A breaker is closed from time 0 until its first recorded change, unless that
 * change says it came from another state.
 *
 * @example
 * const { tracks } = breakerTimeline(world.events);
 * tracks[0].intervals // [{ state: 'closed', start: 0, end: 120 }, { state: 'open', start: 120, … }]
 */
export function breakerTimeline(events: readonly TraceEvent[], until?: number): BreakerTimeline {
  const n = prefixLength(events, until);
  const end = until !== undefined && Number.isFinite(until) ? until : n > 0 ? events[n - 1]!.time : 0;
  const tracks = new Map<string, BreakerTrack>();
  const track = (name: string, owner: string | undefined, initial: BreakerState): BreakerTrack => {
    let t = tracks.get(name);
    if (!t) {
      t = { name, intervals: [{ state: initial, start: 0, end, ongoing: true }], transitions: [], calls: [], state: initial };
      if (owner !== undefined) t.owner = owner;
      tracks.set(name, t);
    }
    return t;
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    if (e.kind === 'state') {
      const from = normalizeBreakerState(e.from);
      const to = normalizeBreakerState(e.to);
      if (!from || !to) continue;
      const t = track(e.component, e.source, from);
      const last = t.intervals[t.intervals.length - 1]!;
      last.end = e.time;
      last.ongoing = false;
      t.intervals.push({ state: to, start: e.time, end, ongoing: true });
      const reason = reasonOf(e.detail);
      const w = windowOf(e.detail, e.time);
      t.transitions.push({ seq: e.seq, time: e.time, from, to, ...(reason !== undefined ? { reason } : {}), ...(w ? { window: w } : {}) });
      t.state = to;
      if (w) t.window = w;
    } else if (e.kind === 'breaker.call') {
      const t = track(e.breaker, e.source, normalizeBreakerState(e.state) ?? 'closed');
      t.calls.push({ seq: e.seq, time: e.time, outcome: e.outcome, slow: e.slow === true });
    }
  }
  const hosts = patternHosts(events);
  for (const t of tracks.values()) {
    const host = t.owner !== undefined ? hosts.get(t.owner) : undefined;
    if (host !== undefined) t.owner = host;
    else if (t.owner === t.name) delete t.owner;
  }
  // Drop zero-length leading intervals (a change at time 0).
  for (const t of tracks.values()) t.intervals = t.intervals.filter((iv, i) => iv.end > iv.start || i === t.intervals.length - 1);
  return { tracks: [...tracks.values()], start: 0, end };
}

/** A `state` event's detail is whatever the breaker chose to record: hand-written breakers record anything. */
type Detail = Readonly<Record<string, unknown>>;

function isDetail(value: unknown): value is Detail {
  return typeof value === 'object' && value !== null;
}

/** Why a breaker changed state: its detail, when text, or the detail's `reason`. */
function reasonOf(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (isDetail(detail) && typeof detail['reason'] === 'string') return detail['reason'];
  return undefined;
}

/** A finite number, or `undefined`. */
function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Finds a window snapshot in a breaker's state detail: the value itself (with
 * `calls` and `failures`), or its `window` / `snapshot` field. The detail is
 * free-form (hand-written breakers record anything), so it is read with checks.
 *
 * @example
 * windowOf({ reason: 'failureRate', window: { kind: 'count', calls: 4, failures: 3 } }, 100) // { kind: 'count', calls: 4, failures: 3, slowCalls: 0, time: 100 }
 */
export function windowOf(value: unknown, time: number): BreakerWindow | undefined {
  if (!isDetail(value)) return undefined;
  const calls = finite(value['calls']);
  const failures = finite(value['failures']);
  if (calls !== undefined && failures !== undefined) {
    const kind = value['kind'];
    const w: BreakerWindow = { kind: typeof kind === 'string' ? kind : 'window', calls, failures, slowCalls: finite(value['slowCalls']) ?? 0, time };
    const fr = finite(value['failureRate']);
    const sr = finite(value['slowCallRate']);
    const cf = finite(value['consecutiveFailures']);
    if (fr !== undefined) w.failureRate = fr;
    if (sr !== undefined) w.slowCallRate = sr;
    if (cf !== undefined) w.consecutiveFailures = cf;
    const buckets = value['buckets'];
    if (Array.isArray(buckets)) w.buckets = buckets.filter((b): b is NonNullable<BreakerWindow['buckets']>[number] => isDetail(b));
    return w;
  }
  return windowOf(value['window'], time) ?? windowOf(value['snapshot'], time);
}

/**
 * The state of a breaker at virtual time `t` (changes at `t` included).
 *
 * @example
 * breakerStateAt(breakerTimeline(events).tracks[0], 250) // 'open'
 */
export function breakerStateAt(track: BreakerTrack, t: number): BreakerState {
  let lo = 0;
  let hi = track.intervals.length - 1;
  // Last interval starting at or before t (intervals are in time order).
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (track.intervals[mid]!.start <= t) lo = mid;
    else hi = mid - 1;
  }
  return track.intervals[lo]?.state ?? track.state;
}
