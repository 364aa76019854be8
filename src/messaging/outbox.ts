import type { Rng } from '../sim/rng.js';
import { isoTime, timestampOf } from '../sim/iso-time.js';
import type { TimerHandle } from '../sim/scheduler.js';
import type { RunBasics } from './bus-env.js';
import type { BusEvent, EventBus, NewEvent } from './event-bus.js';
import { cloneData } from './bytes.js';

/** One outgoing event in a service's outbox table. */
export interface OutboxRecord<E extends BusEvent = BusEvent> {
  /** Order of commit (1-based). */
  seq: number;
  event: E;
  /** Set once the relay saw the broker confirm it. */
  sent: boolean;
  /** Times the relay published it (more than 1 after a relay crash). */
  attempts: number;
}

/** What a transaction can do: read and write the service's tables, and record events to publish. */
export interface OutboxTransaction<E extends BusEvent = BusEvent> {
  get<T = unknown>(table: string, key: string): T | undefined;
  set(table: string, key: string, value: unknown): void;
  delete(table: string, key: string): void;
  /** Records an event to publish; it is stored in the same commit as the writes. Returns it with its id. */
  publish(event: NewEvent<E>): E;
}

type Tables = Map<string, Map<string, unknown>>;

/**
 * A service's small database with an outbox table: a transaction writes the
 * service's state and the events that announce it in one atomic commit, so
 * there is never a state change without its event or an event without its
 * state change. An {@link OutboxRelay} publishes the outbox to the bus.
 *
 * It needs only a clock, a generator and the trace ({@link RunBasics}), so it
 * runs in the simulation and in real mode alike (in real mode its tables are
 * in the process's memory).
 *
 * @example
 * const db = new Outbox(busEnvOf(world), 'orders');
 * await db.transaction((tx) => {
 *   tx.set('orders', 'o-1', { status: 'pending' });
 *   tx.publish({ eventType: 'OrderCreated', data: { orderId: 'o-1' } });
 * });
 * new OutboxRelay(db, bus).start();
 */
export class Outbox<E extends BusEvent = BusEvent> {
  private tables: Tables = new Map();
  private readonly records: OutboxRecord<E>[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly rng: Rng;

  constructor(
    /** @internal */
    readonly env: RunBasics,
    /** Service that owns this database. */
    readonly service: string,
  ) {
    this.rng = env.rng.fork(`outbox:${service}`);
  }

  /**
   * Runs `work` and commits its writes and events together. If `work` throws
   * (or rejects), nothing is committed and the error is rethrown.
   */
  async transaction<T>(work: (tx: OutboxTransaction<E>) => T | Promise<T>): Promise<T> {
    const writes = new Map<string, Map<string, { value: unknown; deleted: boolean }>>();
    const events: E[] = [];
    let open = true;
    const guard = () => {
      if (!open) throw new Error(`${this.service}: the transaction is over; do all reads and writes inside the callback`);
    };
    const tx: OutboxTransaction<E> = {
      get: <V>(table: string, key: string): V | undefined => {
        guard();
        const w = writes.get(table)?.get(key);
        if (w) return w.deleted ? undefined : (cloneData(w.value) as V);
        const v = this.tables.get(table)?.get(key);
        return v === undefined ? undefined : (cloneData(v) as V);
      },
      set: (table, key, value) => {
        guard();
        let t = writes.get(table);
        if (!t) writes.set(table, (t = new Map()));
        t.set(key, { value: cloneData(value), deleted: false });
      },
      delete: (table, key) => {
        guard();
        let t = writes.get(table);
        if (!t) writes.set(table, (t = new Map()));
        t.set(key, { value: undefined, deleted: true });
      },
      publish: (event) => {
        guard();
        const e = event as NewEvent<E> & { eventType: string; eventId?: string; timestamp?: string | Date };
        if (!e || typeof e.eventType !== 'string') throw new TypeError(`publish: an event needs an eventType string, got ${JSON.stringify(event)}`);
        const full = {
          ...cloneData(e),
          eventId: e.eventId ?? this.rng.uuid(),
          timestamp: timestampOf(e.timestamp, () => isoTime(this.env.epoch + this.env.clock.now())),
        } as unknown as E;
        events.push(full);
        return full;
      },
    };
    let result: T;
    try {
      result = await work(tx);
    } finally {
      open = false;
    }
    // commit: all at once
    let count = 0;
    for (const [table, rows] of writes) {
      let t = this.tables.get(table);
      if (!t) this.tables.set(table, (t = new Map()));
      for (const [key, w] of rows) {
        count++;
        if (w.deleted) t.delete(key);
        else t.set(key, w.value);
      }
    }
    for (const e of events) this.records.push({ seq: this.records.length + 1, event: e, sent: false, attempts: 0 });
    this.env.trace.record('outbox.commit', { source: this.service, target: this.service, outbox: this.service, eventIds: events.map((e) => e.eventId), writes: count });
    if (events.length > 0) for (const l of [...this.listeners]) l();
    return result;
  }

  /** A committed row (a copy), or undefined. */
  get<T = unknown>(table: string, key: string): T | undefined {
    const v = this.tables.get(table)?.get(key);
    return v === undefined ? undefined : (cloneData(v) as T);
  }

  /** All committed rows of a table, as `[key, value]` pairs (copies). */
  rows<T = unknown>(table: string): Array<[string, T]> {
    return [...(this.tables.get(table) ?? new Map<string, unknown>())].map(([k, v]) => [k, cloneData(v) as T]);
  }

  /** Outbox rows not yet confirmed as published, oldest first. */
  pending(): OutboxRecord<E>[] {
    return this.records.filter((r) => !r.sent);
  }

  /** Every outbox row (copies). */
  all(): OutboxRecord<E>[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** @internal the relay's view */
  record(seq: number): OutboxRecord<E> | undefined {
    return this.records[seq - 1];
  }

  /** @internal called after each commit that added events */
  onCommit(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  /**
   * Probability that the relay crashes right after the broker confirmed an
   * event and before the relay marked it sent (drawn from the world's seeded
   * generator; each crash is a `fault` trace event). After a crash the relay
   * restarts and publishes that event again.
   */
  crashAfterPublishRate?: number;
  /** Virtual ms until a crashed relay is back; default 1000. */
  restartDelay?: number;
  /** Virtual ms to wait before trying again when the broker refuses an event; default 100. */
  retryDelay?: number;
}

/**
 * Publishes a service's outbox to the bus, oldest first: publish, wait for the
 * broker's confirm, then mark the row sent. A crash between the confirm and the
 * mark makes it publish the same event (same `eventId`) again after restarting:
 * delivery is at-least-once, so consumers should be idempotent (see
 * `SubscribeOptions.idempotent`). It runs when started and after each commit,
 * and is idle (no timers) when the outbox is empty.
 */
export class OutboxRelay<E extends BusEvent = BusEvent> {
  private running = false;
  private active = false;
  private unlisten: (() => void) | undefined;
  private restartTimer: TimerHandle | undefined;
  private readonly rng: Rng;
  private readonly env: RunBasics;

  constructor(
    private readonly outbox: Outbox<E>,
    private readonly bus: EventBus<E>,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.env = outbox.env;
    this.rng = this.env.rng.fork(`outbox-faults:${outbox.service}`);
  }

  /** True while started (not stopped or crashed). */
  get started(): boolean {
    return this.running;
  }

  /** Starts relaying: what is pending now, then each new commit. */
  start(): this {
    if (this.running) return this;
    this.running = true;
    this.unlisten = this.outbox.onCommit(() => this.kick());
    this.kick();
    return this;
  }

  /** Stops relaying (a graceful stop: no restart). */
  stop(): void {
    this.running = false;
    this.unlisten?.();
    this.unlisten = undefined;
    this.restartTimer?.cancel();
    this.restartTimer = undefined;
  }

  /** Simulates the relay process crashing now; it comes back after `restartDelay`. */
  crash(reason = 'crashed'): void {
    if (!this.running) return;
    this.stop();
    this.env.trace.record('fault', { source: this.outbox.service, fault: 'relay-crash', detail: `${this.outbox.service}'s outbox relay ${reason}; back in ${this.options.restartDelay ?? 1000} ms` });
    this.restartTimer = this.env.clock.after(this.options.restartDelay ?? 1000, () => {
      this.restartTimer = undefined;
      this.start();
    });
  }

  private kick(): void {
    if (!this.running || this.active) return;
    this.active = true;
    void this.drain().finally(() => {
      this.active = false;
      if (this.running && this.outbox.pending().length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (!this.running) return;
      const next = this.outbox.pending()[0];
      if (!next) return;
      const rec = this.outbox.record(next.seq)!;
      rec.attempts++;
      try {
        await this.bus.publish(rec.event as unknown as NewEvent<E>);
      } catch {
        if (!this.running) return;
        await this.env.clock.sleep(this.options.retryDelay ?? 100);
        continue;
      }
      if (!this.running) return; // stopped while waiting: the row stays pending and goes out again
      const rate = this.options.crashAfterPublishRate ?? 0;
      if (rate > 0 && this.rng.chance(rate)) {
        this.crash(`crashed after publishing ${rec.event.eventType} ${rec.event.eventId} and before marking it sent`);
        return;
      }
      rec.sent = true;
      this.env.trace.record('outbox.sent', { source: this.outbox.service, target: this.bus.exchange, outbox: this.outbox.service, eventId: rec.event.eventId, attempts: rec.attempts });
    }
  }
}
