import { Observable, Subject } from 'rxjs';
import type { SimContext } from '../sim/context.js';
import type { Rng } from '../sim/rng.js';
import { isoTime, timestampOf } from '../sim/iso-time.js';
import { DEFAULT_EPOCH } from '../sim/world.js';
import { cloneData } from './bytes.js';
import { PartialDuplicateAppendError, WrongExpectedVersionError, type ExpectedVersion } from './wrong-expected-version-error.js';

export * from './wrong-expected-version-error.js';

/** An event to append: `eventId` and `timestamp` are filled in when absent. */
export interface EventData<T extends string = string, D = unknown> {
  eventType: T;
  data: D;
  /**
   * Id of the event, unique within its stream: appending an id that the
   * stream already holds is an acknowledged no-op (a retried append is
   * safe). Another stream may hold the same id.
   */
  eventId?: string;
  /** ISO time; default: the world's virtual time. */
  timestamp?: string | Date;
  metadata?: Record<string, unknown>;
}

/** An event as stored: with its stream, its version in the stream and its position in the whole store. */
export interface StoredEvent<T extends string = string, D = unknown> {
  streamId: string;
  eventType: T;
  eventId: string;
  timestamp: string;
  data: D;
  metadata?: Record<string, unknown>;
  /** 1-based number of the event in its stream. */
  version: number;
  /** 1-based position in the store (across all streams). */
  position: number;
}

/** Options of {@link EventStore.append}. */
export interface AppendOptions {
  /** Optimistic concurrency check; default `'any'`. */
  expectedVersion?: ExpectedVersion;
  /** Service doing the append (the trace's source); default: the store's name. */
  source?: string;
  /** Correlation id for the trace. */
  correlationId?: string;
}

/** What an append did. */
export interface AppendResult {
  streamId: string;
  /** The stream's version after the append. */
  version: number;
  /** Store position of the last event of the stream after the append (0 when empty). */
  position: number;
  /** Events actually added (those whose id the stream already held are skipped). */
  appended: number;
  /** Events skipped because the stream already held their id (or the same append repeated it). */
  duplicates: number;
}

/** A fold of events into a state. */
export interface Projection<S, E extends StoredEvent = StoredEvent> {
  /** The state before any event (copied for each fold), or a function that makes it. */
  initial: S | (() => S);
  /** The next state after `event`. */
  apply: (state: S, event: E) => S;
}

/**
 * Folds events into a state.
 *
 * @example
 * const total = foldEvents(events, { initial: 0, apply: (sum, e) => sum + (e.data as { amount: number }).amount });
 */
export function foldEvents<S, E extends StoredEvent>(events: readonly E[], projection: Projection<S, E>): S {
  const init = projection.initial;
  let state: S = typeof init === 'function' ? (init as () => S)() : cloneData(init);
  for (const e of events) state = projection.apply(state, e);
  return state;
}

/** Options of {@link EventStore.subscribe}. */
export interface StoreSubscribeOptions {
  /** First position to deliver (1: from the beginning, the default), or `'end'` for new events only. */
  fromPosition?: number | 'end';
  /** Only events of this stream. */
  streamId?: string;
  /** Only events of these types. */
  eventTypes?: readonly string[];
}

/** A running subscription. */
export interface StoreSubscription {
  /** Position of the last event handed to the handler (0: none yet). */
  readonly position: number;
  /** The error that stopped it, if the handler threw. */
  readonly error: unknown;
  /** Stops it. */
  unsubscribe(): void;
}

type StoreWorld = SimContext & { readonly epoch?: number };

/**
 * An append-only event store: one stream per aggregate, optimistic concurrency
 * by expected version, idempotent appends by event id within a stream, reads
 * of a stream or of everything, catch-up subscriptions from a position, and
 * projections.
 *
 * Idempotence works as in EventStoreDB: it is checked per stream, by event id
 * (the same id may be used in two streams). An append whose events the
 * stream all holds already is acknowledged and adds nothing (each skipped
 * event is an `es.duplicate` trace event); one that mixes stored and new
 * events is refused ({@link PartialDuplicateAppendError}).
 * Reads and appends resolve at once (no virtual time passes); subscription
 * handlers run as scheduler callbacks, one event at a time and in order.
 *
 * @example
 * const store = new EventStore(world);
 * await store.append('order-42', { eventType: 'OrderCreated', data: { total: 30 } }, { expectedVersion: 'no-stream' });
 * await store.append('order-42', { eventType: 'OrderPaid', data: {} }, { expectedVersion: 1 });
 * const status = await store.project({ initial: 'none', apply: (_, e) => e.eventType }, { streamId: 'order-42' }); // 'OrderPaid'
 */
export class EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /** Stream id → the event ids it holds (idempotence is per stream). */
  private readonly ids = new Map<string, Set<string>>();
  private readonly subs = new Set<SubscriptionImpl>();
  private readonly ids$ = new Subject<StoredEvent>();
  private readonly rng: Rng;

  constructor(
    private readonly world: StoreWorld,
    /** Name in the trace. */
    readonly name = 'event-store',
  ) {
    this.rng = world.rng.fork(`event-store:${name}`);
  }

  /** Current version (number of events) of a stream; 0 when it does not exist. */
  streamVersion(streamId: string): number {
    return this.streams.get(streamId)?.length ?? 0;
  }

  /** Number of events in the store. */
  get size(): number {
    return this.log.length;
  }

  /**
   * Appends events to a stream, all or nothing. An append whose events the
   * stream already holds (by id) is a successful no-op, so a retried append
   * is safe; one that mixes such events with new ones throws
   * {@link PartialDuplicateAppendError}. Throws
   * {@link WrongExpectedVersionError} when the stream is not at
   * `expectedVersion`.
   */
  async append(streamId: string, events: EventData | readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.appendNow(streamId, events, options);
  }

  /** The same as {@link append}, synchronously. */
  appendNow(streamId: string, events: EventData | readonly EventData[], options: AppendOptions = {}): AppendResult {
    if (typeof streamId !== 'string' || streamId === '') throw new TypeError(`append: streamId must be a non-empty string, got ${JSON.stringify(streamId)}`);
    const list = (Array.isArray(events) ? events : [events]) as readonly EventData[];
    list.forEach((e: unknown, i) => {
      const ev = e as Partial<EventData> | null;
      if (!ev || typeof ev !== 'object' || typeof ev.eventType !== 'string' || ev.eventType === '')
        throw new TypeError(`append: event ${i} needs an eventType string (got ${JSON.stringify(e)})`);
      if (!('data' in ev)) throw new TypeError(`append: event ${i} (${ev.eventType}) needs a data field`);
    });
    const trace = this.world.trace;
    const source = options.source ?? this.name;
    const corr = options.correlationId !== undefined ? { correlationId: options.correlationId } : {};
    const stream = this.streams.get(streamId) ?? [];
    const held = this.ids.get(streamId);
    const fresh: EventData[] = [];
    const storedIds: string[] = [];
    const repeated: string[] = [];
    const seen = new Set<string>();
    for (const e of list) {
      const id = e.eventId;
      if (id !== undefined && held?.has(id)) storedIds.push(id);
      else if (id !== undefined && seen.has(id)) repeated.push(id);
      else {
        if (id !== undefined) seen.add(id);
        fresh.push(e);
      }
    }
    const actual = stream.length;
    const expected = options.expectedVersion ?? 'any';
    if (storedIds.length > 0 && fresh.length > 0) {
      trace.record('es.conflict', { source, target: this.name, ...corr, store: this.name, streamId, expected, actual });
      throw new PartialDuplicateAppendError(streamId, expected, actual, storedIds, fresh.length);
    }
    for (const eventId of [...storedIds, ...repeated]) trace.record('es.duplicate', { source, target: this.name, ...corr, store: this.name, streamId, eventId });
    const duplicates = storedIds.length + repeated.length;
    if (fresh.length > 0) {
      const ok =
        expected === 'any' ||
        (expected === 'no-stream' && actual === 0) ||
        (expected === 'stream-exists' && actual > 0) ||
        (typeof expected === 'number' && expected === actual);
      if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0))
        throw new TypeError(`append: expectedVersion must be 'any', 'no-stream', 'stream-exists' or a whole number ≥ 0, got ${expected}`);
      if (!ok) {
        trace.record('es.conflict', { source, target: this.name, ...corr, store: this.name, streamId, expected, actual });
        throw new WrongExpectedVersionError(streamId, expected, actual);
      }
    }
    const added: StoredEvent[] = [];
    for (const e of fresh) {
      const stored: StoredEvent = {
        streamId,
        eventType: e.eventType,
        eventId: e.eventId ?? this.rng.uuid(),
        timestamp: timestampOf(e.timestamp, () => this.isoNow()),
        data: cloneData(e.data),
        ...(e.metadata ? { metadata: cloneData(e.metadata) } : {}),
        version: stream.length + 1,
        position: this.log.length + 1,
      };
      stream.push(stored);
      this.log.push(stored);
      added.push(stored);
    }
    if (added.length > 0) {
      this.streams.set(streamId, stream);
      let ids = held;
      if (!ids) this.ids.set(streamId, (ids = new Set()));
      for (const e of added) ids.add(e.eventId);
    }
    for (const s of added) {
      trace.record('es.append', {
        source,
        target: this.name,
        ...corr,
        store: this.name,
        streamId,
        eventId: s.eventId,
        eventType: s.eventType,
        version: s.version,
        position: s.position,
      });
      this.ids$.next(s);
    }
    if (added.length > 0) for (const sub of this.subs) sub.wake();
    return { streamId, version: stream.length, position: stream.at(-1)?.position ?? 0, appended: added.length, duplicates };
  }

  /** Events of one stream from `fromVersion` (1-based, default 1), in order. */
  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<StoredEvent[]> {
    const from = Math.max(1, options.fromVersion ?? 1);
    return (this.streams.get(streamId) ?? []).slice(from - 1).map(copyEvent);
  }

  /** All events from `fromPosition` (1-based, default 1), in store order, optionally of some types only. */
  async readAll(options: { fromPosition?: number; eventTypes?: readonly string[] } = {}): Promise<StoredEvent[]> {
    const from = Math.max(1, options.fromPosition ?? 1);
    const types = options.eventTypes ? new Set(options.eventTypes) : undefined;
    return this.log.slice(from - 1).filter((e) => !types || types.has(e.eventType)).map(copyEvent);
  }

  /** Folds a stream (or, without `streamId`, the whole store) into a state. */
  async project<S>(projection: Projection<S>, options: { streamId?: string } = {}): Promise<S> {
    const events = options.streamId !== undefined ? await this.readStream(options.streamId) : await this.readAll();
    return foldEvents(events, projection);
  }

  /**
   * Calls `handler` for every event from a position on: first the stored ones
   * (catch-up), then each new one as it is appended. One event at a time: an
   * async handler is awaited before the next event. A handler that throws
   * stops its subscription (the error is traced and kept in `error`).
   *
   * @example
   * const totals = new Map<string, number>();
   * store.subscribe((e) => { if (e.eventType === 'OrderCreated') totals.set(e.streamId, e.data.total); }, { fromPosition: 1 });
   */
  subscribe(handler: (event: StoredEvent) => unknown, options: StoreSubscribeOptions = {}): StoreSubscription {
    if (typeof handler !== 'function') throw new TypeError('subscribe: the handler must be a function');
    const from = options.fromPosition === 'end' ? this.log.length + 1 : Math.max(1, options.fromPosition ?? 1);
    const sub = new SubscriptionImpl(this.world, this.log, handler, from, options, this.subs, this.name);
    this.subs.add(sub);
    sub.wake();
    return sub;
  }

  /** Every event as it is appended (for views). */
  appended$(): Observable<StoredEvent> {
    return this.ids$.asObservable();
  }

  private isoNow(): string {
    return isoTime((this.world.epoch ?? DEFAULT_EPOCH) + this.world.scheduler.now());
  }
}

function copyEvent(e: StoredEvent): StoredEvent {
  return { ...e, data: cloneData(e.data), ...(e.metadata ? { metadata: cloneData(e.metadata) } : {}) };
}

class SubscriptionImpl implements StoreSubscription {
  position = 0;
  error: unknown = undefined;
  private next: number;
  private running = false;
  private closed = false;
  private readonly types: Set<string> | undefined;

  constructor(
    private readonly world: StoreWorld,
    private readonly log: StoredEvent[],
    private readonly handler: (event: StoredEvent) => unknown,
    from: number,
    private readonly options: StoreSubscribeOptions,
    private readonly owner: Set<SubscriptionImpl>,
    private readonly storeName: string,
  ) {
    this.next = from;
    this.types = options.eventTypes ? new Set(options.eventTypes) : undefined;
  }

  wake(): void {
    if (this.running || this.closed || this.next > this.log.length) return;
    this.running = true;
    this.world.scheduler.after(0, () => void this.pump());
  }

  private async pump(): Promise<void> {
    try {
      while (!this.closed && this.next <= this.log.length) {
        const e = this.log[this.next - 1]!;
        this.next++;
        if (this.options.streamId !== undefined && e.streamId !== this.options.streamId) continue;
        if (this.types && !this.types.has(e.eventType)) continue;
        try {
          await this.handler(copyEvent(e));
        } catch (err) {
          this.error = err;
          this.world.trace.record('error', {
            source: this.storeName,
            message: `event store subscription stopped: its handler threw on ${e.eventType} #${e.position}: ${err instanceof Error ? err.message : String(err)}`,
          });
          this.unsubscribe();
          return;
        }
        this.position = e.position;
      }
    } finally {
      this.running = false;
    }
    // events appended while the last handler ran
    if (!this.closed && this.next <= this.log.length) this.wake();
  }

  unsubscribe(): void {
    this.closed = true;
    this.owner.delete(this);
  }
}
