/**
 * Number of events whose virtual time is at most `time` (the prefix a view
 * shows at a scrub position). Traces are ordered by time, so this is a binary
 * search. `time` of `Infinity` (or `undefined`) means the whole trace.
 *
 * @example
 * const n = prefixLength(events, 250); // events[0..n) happened by t = 250 ms
 */
export function prefixLength(events: readonly { time: number }[], time: number | undefined): number {
  if (time === undefined || time === Infinity) return events.length;
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.time <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sorted distinct event times of a trace (the stops of a scrubber). */
export function distinctTimes(events: readonly { time: number }[]): number[] {
  const out: number[] = [];
  for (const e of events) if (out.length === 0 || out[out.length - 1] !== e.time) out.push(e.time);
  return out;
}

/** Formats a virtual time (ms) for labels: `850 ms`, `12.5 s`, `2 min 5 s`. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 1000) return `${round(ms, 1)} ms`;
  if (Math.abs(ms) < 60_000) return `${round(ms / 1000, 3)} s`;
  const min = Math.floor(ms / 60_000);
  return `${min} min ${round((ms - min * 60_000) / 1000, 1)} s`;
}

function round(x: number, digits: number): string {
  const f = 10 ** digits;
  return String(Math.round(x * f) / f);
}

/** Shortens `text` to at most `max` characters, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  return text.slice(0, max - 1) + '…';
}

/** A compact one-line rendering of any value for labels (JSON, shortened). */
export function brief(value: unknown, max = 80): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return truncate(value, max);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return truncate(text, max);
}
