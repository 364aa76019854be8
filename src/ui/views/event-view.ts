import type { TraceEvent } from '../../sim/trace.js';
import { partyOf, UNKNOWN_PARTY } from './parties.js';

/**
 * How an event looks in the views. Each style is drawn differently (colour,
 * dash, arrow end) so that failures, retries, compensations and dead letters
 * stand out from ordinary traffic.
 */
export type EventStyle =
  | 'request'
  | 'response'
  | 'error'
  | 'timeout'
  | 'refused'
  | 'canceled'
  | 'late'
  | 'fault'
  | 'message'
  | 'deliver'
  | 'ack'
  | 'nack'
  | 'dead-letter'
  | 'redeliver'
  | 'retry'
  | 'compensation'
  | 'saga'
  | 'breaker'
  | 'fallback'
  | 'state'
  | 'status'
  | 'log'
  | 'warn'
  | 'generic';

/** Styles that mean something went wrong (counted, highlighted). */
export const PROBLEM_STYLES: ReadonlySet<EventStyle> = new Set<EventStyle>([
  'error',
  'timeout',
  'refused',
  'fault',
  'nack',
  'dead-letter',
  'late',
  'compensation',
]);

/** An event as a sequence diagram draws it. */
export interface EventView {
  /** `arrow` between two lifelines, or `note` on one lifeline. */
  shape: 'arrow' | 'note';
  /** Lifeline the arrow starts at (or the note sits on). */
  from: string;
  /** Lifeline the arrow ends at (equal to `from` for a note). */
  to: string;
  style: EventStyle;
  /** Human-readable label, may contain numbers that change from run to run. */
  label: string;
  /** Stable identity of "the same exchange" (no ids, times or durations): equal keys may be collapsed. */
  key: string;
  /** Bookkeeping detail (topology, consumers, channels, plain enqueues): hidden unless asked for. */
  quiet?: boolean;
}

/**
 * Draws one event on the lifelines of its own source and target. `key`
 * defaults to the label; the event's kind is prefixed to it.
 */
export interface EventPen {
  /** Lifeline of the event's source ({@link UNKNOWN_PARTY} without one). */
  readonly source: string;
  /** Lifeline of the event's target, if it has one. */
  readonly target: string | undefined;
  /** An arrow from source to target, or a note on the source when there is no other party. */
  arrow(style: EventStyle, label: string, key?: string): EventView;
  /** A note on the source's lifeline. */
  note(style: EventStyle, label: string, key?: string): EventView;
}

/** The {@link EventPen} of `e`. */
export function penFor(e: TraceEvent): EventPen {
  const source = partyOf(e, e.source) ?? UNKNOWN_PARTY;
  const target = partyOf(e, e.target);
  const note = (style: EventStyle, label: string, key = label): EventView => ({ shape: 'note', from: source, to: source, style, label, key: `${e.kind}|${key}` });
  const arrow = (style: EventStyle, label: string, key = label): EventView =>
    target !== undefined && target !== source ? { shape: 'arrow', from: source, to: target, style, label, key: `${e.kind}|${key}` } : note(style, label, key);
  return { source, target, arrow, note };
}

/**
 * An event of a kind the views do not know (from a trace file of another
 * version): an arrow labelled with its kind, or a note when it has no other party.
 */
export function unknownKind(e: { kind: string }, pen: EventPen): EventView {
  return pen.arrow('generic', String(e.kind));
}

/**
 * The label of an event drawn as its kind followed by up to three details,
 * in the order given, and the key that folds repeats of it. A name is left
 * out of the label when empty or when it only repeats the event's source or
 * target; names (but not ids or numbers) make up the key, with digits
 * blurred so `attempt 3` and `attempt 4` fold together.
 *
 * @example
 * new KindLabel(e).name(e.step).number(`#${e.attempt}`).text() // 'saga.step reserve #1'
 */
export class KindLabel {
  private readonly shown: string[] = [];
  private readonly keys: string[] = [];

  constructor(private readonly e: TraceEvent) {}

  /** A name: shown, and part of the key. */
  name(value: string | undefined): this {
    if (value !== undefined) this.keys.push(stripNumbers(value));
    return this.id(value);
  }

  /** An id: shown, but not part of the key (every message has its own). */
  id(value: string | undefined): this {
    if (value !== undefined && value !== '' && value !== this.e.source && value !== this.e.target) this.show(value);
    return this;
  }

  /** A number, already formatted: always shown, never part of the key. */
  number(formatted: string | undefined): this {
    if (formatted !== undefined) this.show(formatted);
    return this;
  }

  /** `kind detail detail …`. */
  text(): string {
    return this.shown.length ? `${this.e.kind} ${this.shown.join(' ')}` : this.e.kind;
  }

  /** The identity used to fold repeats. */
  key(): string {
    return this.keys.join('|');
  }

  private show(text: string): void {
    if (this.shown.length < 3) this.shown.push(text);
  }
}

/** Replaces runs of digits so `attempt 3` and `attempt 4` read alike. */
export function stripNumbers(s: string): string {
  return s.replace(/\d+(\.\d+)?/g, '#');
}

/** A duration for labels, to 0.1 ms. */
export function roundMs(x: number): string {
  return String(Math.round(x * 10) / 10);
}
