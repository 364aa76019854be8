import { Subject, type Observable } from 'rxjs';
import { stableHash } from './rng.js';

/** Fields every trace event has. */
export interface TraceBase {
  /** Position in the trace, from 0. Also the event's id for `causationId`. */
  seq: number;
  /** Virtual time in milliseconds. */
  time: number;
  /** Who did it (a service, `broker`, `client`, `world`). */
  source?: string;
  /** Who it was done to, when it crosses from one party to another. */
  target?: string;
  /** Groups the events of one business flow (an order, a saga, a request chain). */
  correlationId?: string;
  /** `seq` of the event that caused this one. */
  causationId?: number;
}

/** Log levels, as a console has them. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The payload of each kind of trace event. Later layers add their own kinds by
 * module augmentation:
 *
 * @example
 * declare module '../sim/trace.js' {
 *   interface TraceEventMap { 'mq.publish': { messageId: string; exchange: string } }
 * }
 */
export interface TraceEventMap {
  /** A client sent an HTTP request. */
  'http.request': {
    requestId: string;
    method: string;
    path: string;
    url: string;
    body?: unknown;
    headers?: Record<string, string>;
    /** Timeout the client set, in ms (0 or absent: none). */
    timeout?: number;
  };
  /** A response reached the client (or arrived after the client gave up: `late`). */
  'http.response': {
    requestId: string;
    method: string;
    path: string;
    status: number;
    body?: unknown;
    /** When the server sent it. */
    sentAt: number;
    /** Time from request to this response, in ms. */
    durationMs: number;
    /** The client had already given up (timeout or abort); nobody read this response. */
    late?: boolean;
  };
  /** The client stopped waiting after its timeout; the server may still be working. */
  'http.timeout': { requestId: string; method: string; path: string; timeoutMs: number };
  /** The client aborted the request through its AbortSignal. */
  'http.canceled': { requestId: string; method: string; path: string };
  /** The request could not reach a server. */
  'http.refused': {
    requestId: string;
    method: string;
    path: string;
    reason: 'unknown-service' | 'down' | 'no-route';
    code: string;
  };
  /** The fault plan changed what happened. */
  fault: { fault: string; detail: string; requestId?: string; messageId?: string; /** The queue a broker fault happened at. */ queue?: string };
  /** A log line. */
  log: { level: LogLevel; message: string; data?: unknown; line?: number; column?: number };
  /** A component changed state (a breaker, a service, a saga). */
  state: { component: string; from: string; to: string; detail?: unknown };
  /** A callback threw or a promise rejected with nobody handling it. */
  error: { message: string; stack?: string; line?: number; column?: number };
  /** A service went down or came back. */
  'service.status': { service: string; up: boolean };
}

/** Every kind of trace event. */
export type TraceKind = keyof TraceEventMap;

/** One trace event of kind `K`. */
export type TraceEventOf<K extends TraceKind> = TraceBase & { kind: K } & TraceEventMap[K];

/** Any trace event: a discriminated union on `kind`. */
export type TraceEvent = { [K in TraceKind]: TraceEventOf<K> }[TraceKind];

/** Fields a caller supplies when recording; `seq` and `time` are added. */
export type TraceInput<K extends TraceKind> = Omit<TraceBase, 'seq' | 'time'> & TraceEventMap[K];

/** The serialised form of a trace. */
export interface TraceJSON {
  format: 'spp-trace';
  version: 1;
  events: TraceEvent[];
}

/**
 * Records trace events with the world's virtual time.
 *
 * @example
 * const trace = new TraceRecorder(() => clock.now());
 * trace.record('log', { source: 'orders', level: 'info', message: 'hello' });
 */
export class TraceRecorder {
  private readonly list: TraceEvent[] = [];
  private subject: Subject<TraceEvent> | undefined;
  private readonly counters = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  /**
   * Appends an event of `kind` at the current virtual time and returns it.
   * The `fields` object itself becomes the event: pass a fresh object.
   */
  record<K extends TraceKind>(kind: K, fields: TraceInput<K>): TraceEventOf<K> {
    // The fields object becomes the event (no copy: this is a hot path).
    const event = fields as unknown as TraceEventOf<K> & { seq: number; time: number; kind: K };
    event.seq = this.list.length;
    event.time = this.clock();
    event.kind = kind;
    this.list.push(event as TraceEvent);
    this.subject?.next(event as TraceEvent);
    return event;
  }

  /** All events so far, in order. Do not mutate. */
  get events(): readonly TraceEvent[] {
    return this.list;
  }

  /** Number of events so far. */
  get length(): number {
    return this.list.length;
  }

  /** Events as they are recorded (not replayed). */
  get events$(): Observable<TraceEvent> {
    this.subject ??= new Subject<TraceEvent>();
    return this.subject.asObservable();
  }

  /** A deterministic id `prefix-N` (N counts per prefix within this trace). */
  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}-${n}`;
  }

  /** The trace as a JSON-safe value. */
  toJSON(): TraceJSON {
    return traceToJSON(this.list);
  }

  /** A stable hash of the whole trace (see {@link hashTrace}). */
  hash(): string {
    return hashTrace(this.list);
  }
}

/** Wraps events in the serialised trace format. */
export function traceToJSON(events: readonly TraceEvent[]): TraceJSON {
  return { format: 'spp-trace', version: 1, events: events as TraceEvent[] };
}

/** Parses a serialised trace, checking its shape; throws a message saying what is wrong. */
export function traceFromJSON(input: string | unknown): TraceEvent[] {
  const value: unknown = typeof input === 'string' ? JSON.parse(input) : input;
  if (typeof value !== 'object' || value === null) throw new TypeError('trace: expected an object');
  const v = value as Partial<TraceJSON>;
  if (v.format !== 'spp-trace') throw new TypeError('trace: "format" must be "spp-trace"');
  if (v.version !== 1) throw new TypeError(`trace: unsupported version ${String(v.version)}`);
  if (!Array.isArray(v.events)) throw new TypeError('trace: "events" must be an array');
  v.events.forEach((e, i) => {
    if (typeof e !== 'object' || e === null) throw new TypeError(`trace: events[${i}] is not an object`);
    if (e.seq !== i) throw new TypeError(`trace: events[${i}].seq is ${String(e.seq)}, expected ${i}`);
    if (typeof e.time !== 'number') throw new TypeError(`trace: events[${i}].time is not a number`);
    if (typeof e.kind !== 'string') throw new TypeError(`trace: events[${i}].kind is not a string`);
  });
  return v.events;
}

/** How large a trace file the page agrees to open: past this, the views would crawl. */
export const TRACE_FILE_LIMITS = { maxBytes: 50 * 1024 * 1024, maxEvents: 200_000 } as const;

/** A trace file read: its events, or what is wrong with it in plain words. */
export type TraceFileResult = { ok: true; events: TraceEvent[] } | { ok: false; problem: string };

/** Where a trace file comes from, for the messages. */
const WRITERS = 'the page\'s "Trace JSON" button or `spp run --trace`';

/**
 * Reads the text of a trace file (as the page's "Trace JSON" or real mode's
 * `--trace` writes it) and checks its shape: format and version, then each
 * event's `seq` (its position), `time`, `kind` and optional `source` and
 * `target`. Kinds this version does not know are accepted (the views draw
 * them by name). Never throws: a bad file gets a sentence saying what is wrong.
 *
 * @example
 * const r = parseTraceFile(text);
 * if (!r.ok) banners.add('error', r.problem);
 */
export function parseTraceFile(text: string, limits: { maxBytes: number; maxEvents: number } = TRACE_FILE_LIMITS): TraceFileResult {
  const fail = (problem: string): TraceFileResult => ({ ok: false, problem });
  // Characters, not bytes: close enough for a limit, and known before parsing.
  const tooLarge = traceFileSizeProblem(text.length, limits);
  if (tooLarge) return fail(tooLarge);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail(`This file is not valid JSON (${e instanceof Error ? e.message : String(e)}), so it is not a trace. A trace file is what ${WRITERS} writes.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as { format?: unknown }).format !== 'spp-trace') {
    return fail(`This JSON file is not a trace: it lacks "format": "spp-trace". A trace file is what ${WRITERS} writes.`);
  }
  const { version, events } = value as { version?: unknown; events?: unknown };
  if (version !== 1) return fail(`This trace is in format version ${JSON.stringify(version) ?? 'none'}, and this page reads only version 1. Write it again with this version of the playground.`);
  if (!Array.isArray(events)) return fail('This trace has no list of events ("events" must be an array).');
  if (events.length > limits.maxEvents) {
    return fail(`This trace has too many events (${events.length.toLocaleString('en-US')}); the page opens traces of up to ${limits.maxEvents.toLocaleString('en-US')} events.`);
  }
  for (let i = 0; i < events.length; i++) {
    const problem = eventProblem(events[i], i);
    if (problem) return fail(`This trace is damaged: event ${i} ${problem}.`);
  }
  return { ok: true, events: events as TraceEvent[] };
}

/** Says a file of `size` bytes is too large to open, or undefined when it is not (checked before reading a dropped file). */
export function traceFileSizeProblem(size: number, limits: { maxBytes: number } = TRACE_FILE_LIMITS): string | undefined {
  return size > limits.maxBytes ? `This trace file is too large (${megabytes(size)}); the page opens traces up to ${megabytes(limits.maxBytes)}.` : undefined;
}

/** What is wrong with the event at `index`, or undefined when its base fields are well formed. */
function eventProblem(e: unknown, index: number): string | undefined {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'is not an object';
  const { seq, time, kind, source, target } = e as Record<string, unknown>;
  // The views find an event by its seq as a position in the list.
  if (seq !== index) return `has "seq" ${JSON.stringify(seq) ?? 'missing'}, where ${index} was expected (events are numbered 0, 1, 2… in order)`;
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) return `has no valid "time" (a number of milliseconds, 0 or more)`;
  if (typeof kind !== 'string' || kind === '') return 'has no "kind" (a text such as "http.request")';
  if (source !== undefined && typeof source !== 'string') return 'has a "source" that is not a text';
  if (target !== undefined && typeof target !== 'string') return 'has a "target" that is not a text';
  return undefined;
}

function megabytes(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * A stable hash of a trace: equal events in equal order give equal hashes in
 * Node and in every browser; a JSON round trip keeps the hash.
 */
export function hashTrace(events: readonly TraceEvent[]): string {
  let acc = '';
  let out = '';
  // Hash in chunks so a very long trace never builds one giant string.
  for (let i = 0; i < events.length; i++) {
    acc += JSON.stringify(events[i]) + '\n';
    if (acc.length > 1 << 20) {
      out = stableHash(out + acc);
      acc = '';
    }
  }
  return stableHash(out + acc);
}
