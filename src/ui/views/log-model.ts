import type { LogLevel, TraceEvent } from '../../sim/trace.js';
import { correlationOf } from './filter-by-correlation.js';
import { brief, prefixLength } from './trace-access.js';

/** Levels in increasing severity. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** One line of the log console. */
export interface LogEntry {
  seq: number;
  time: number;
  level: LogLevel;
  /** `log` lines and uncaught `error`s. */
  kind: 'log' | 'error';
  source: string;
  message: string;
  /** The correlation id of the line (the event's, or its data's `correlationId`), when any. */
  correlationId?: string;
  /** Attached data as compact JSON, when any. */
  data?: string;
  /** Source position in the user's code (1-based), when known. */
  line?: number;
  column?: number;
  stack?: string;
}

/** What the console shows. */
export interface LogFilter {
  /** Levels shown; default all. */
  levels?: ReadonlySet<LogLevel>;
  /** Case-insensitive text looked for in message, source, data and correlation id. */
  text?: string;
  /** Scrub time: lines after it are hidden. */
  until?: number;
}

/**
 * The log lines of a trace: `log` events and uncaught `error`s (as level
 * `error`, with their line and column when known), with the correlation id
 * each carries.
 *
 * @example
 * const lines = logEntries(world.events);
 * const errors = lines.filter((l) => l.level === 'error');
 */
export function logEntries(events: readonly TraceEvent[], until?: number): LogEntry[] {
  const end = prefixLength(events, until);
  const out: LogEntry[] = [];
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (e.kind !== 'log' && e.kind !== 'error') continue;
    const level = e.kind === 'error' ? 'error' : e.level;
    const { line, column } = e;
    const stack = e.kind === 'error' ? e.stack : undefined;
    const data = e.kind === 'log' && e.data !== undefined ? brief(e.data, 300) : undefined;
    const correlationId = correlationOf(e);
    out.push({
      seq: e.seq,
      time: e.time,
      level,
      kind: e.kind,
      source: e.source ?? '?',
      message: e.message,
      ...(correlationId !== undefined ? { correlationId } : {}),
      ...(data !== undefined ? { data } : {}),
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
      ...(stack !== undefined ? { stack } : {}),
    });
  }
  return out;
}

/**
 * The entries that pass `filter`, in trace order.
 *
 * @example
 * filterLogs(lines, { levels: new Set(['warn', 'error']), text: 'payment' });
 */
export function filterLogs(entries: readonly LogEntry[], filter: LogFilter = {}): LogEntry[] {
  const needle = filter.text?.trim().toLowerCase() ?? '';
  const levels = filter.levels;
  const until = filter.until ?? Infinity;
  return entries.filter(
    (l) =>
      l.time <= until &&
      (!levels || levels.has(l.level)) &&
      (needle === '' ||
        l.message.toLowerCase().includes(needle) ||
        l.source.toLowerCase().includes(needle) ||
        (l.data?.toLowerCase().includes(needle) ?? false) ||
        (l.correlationId?.toLowerCase().includes(needle) ?? false)),
  );
}

/** Number of entries per level. */
export function levelCounts(entries: readonly LogEntry[]): Record<LogLevel, number> {
  const counts: Record<LogLevel, number> = { debug: 0, info: 0, warn: 0, error: 0 };
  for (const l of entries) counts[l.level]++;
  return counts;
}
