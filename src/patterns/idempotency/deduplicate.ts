import type { TraceRecorder } from '../../sim/trace.js';
import { InvalidOptionError, integerAtLeast, optionalFunction, positiveOrInfinite } from '../options.js';
import type { Clock } from '../resilience/policy.js';

/**
 * Remembers which messages were processed. The in-memory
 * {@link MemoryProcessedStore} is the default; implement this over a
 * database table (a unique key on the message id) to survive restarts.
 */
export interface ProcessedStore {
  /** Was the message with this id processed? */
  has(id: string): boolean | PromiseLike<boolean>;
  /** Records that it was. */
  add(id: string): void | PromiseLike<void>;
}

/** Options of {@link MemoryProcessedStore}. */
export interface MemoryProcessedStoreOptions {
  /** The world's scheduler, needed with `ttlMs`. */
  clock?: Pick<Clock, 'now'>;
  /** Forget an id this long after it was added (ms); default never. */
  ttlMs?: number;
  /** Keep at most this many ids, forgetting the oldest first; default unlimited. */
  maxEntries?: number;
}

/**
 * Processed message ids in a Map (insertion order = age).
 *
 * @example
 * const store = new MemoryProcessedStore({ clock: world.scheduler, ttlMs: 3_600_000 });
 */
export class MemoryProcessedStore implements ProcessedStore {
  private readonly ids = new Map<string, number>();
  private readonly clock: Pick<Clock, 'now'> | undefined;
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: MemoryProcessedStoreOptions = {}) {
    const owner = 'processedStore';
    this.ttlMs = options.ttlMs === undefined ? Infinity : positiveOrInfinite(owner, 'ttlMs', options.ttlMs);
    if (this.ttlMs !== Infinity && !options.clock) throw new InvalidOptionError(owner, 'clock', 'the world scheduler when ttlMs is set', options.clock);
    this.clock = options.clock;
    this.maxEntries = options.maxEntries === undefined ? Infinity : integerAtLeast(owner, 'maxEntries', options.maxEntries, 1);
  }

  /** Ids remembered. */
  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    const at = this.ids.get(id);
    if (at === undefined) return false;
    if (this.clock && this.clock.now() - at >= this.ttlMs) {
      this.ids.delete(id);
      return false;
    }
    return true;
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.set(id, this.clock ? this.clock.now() : 0);
    while (this.ids.size > this.maxEntries) this.ids.delete(this.ids.keys().next().value!);
  }
}

/** What a deduplicating consumer did with one message. */
export type DedupeOutcome<R> = { readonly kind: 'processed'; readonly value: R } | { readonly kind: 'duplicate'; readonly id: string };

/** Options of {@link deduplicate}. */
export interface DeduplicateOptions<M> {
  /** Name in the trace; default `consumer`. */
  name?: string;
  /** The message's id (e.g. `(msg) => msg.properties.messageId`). */
  key: (message: M) => string;
  /** Where processed ids are kept; default a new {@link MemoryProcessedStore}. */
  store?: ProcessedStore;
  /** Called for a duplicate instead of the handler (acknowledge it here). */
  onDuplicate?: (message: M, id: string) => void | PromiseLike<void>;
  /** Trace to record `dedupe.duplicate` in. */
  trace?: TraceRecorder;
}

/**
 * Wraps a message handler so that a message delivered again (at-least-once
 * delivery, a redelivery after a crash, a duplicate from the broker) is
 * processed only once. An id is recorded only after the handler succeeded:
 * when it throws, the error propagates (so the message can be nacked) and
 * a redelivery is processed again. A duplicate that arrives while the first
 * copy is still being handled waits for it: skipped if that succeeds,
 * processed if it fails.
 *
 * @example
 * const onMessage = deduplicate(async (msg) => { await ship(msg.body); channel.ack(msg); }, {
 *   key: (msg) => msg.properties.messageId,
 *   onDuplicate: (msg) => channel.ack(msg),
 * });
 */
export function deduplicate<M, R>(handler: (message: M) => R | PromiseLike<R>, options: DeduplicateOptions<M>): (message: M) => Promise<DedupeOutcome<R>> {
  const owner = 'deduplicate';
  if (typeof handler !== 'function') throw new InvalidOptionError(owner, 'handler', 'a function', handler);
  if (typeof options !== 'object' || options === null || typeof options.key !== 'function') throw new InvalidOptionError(owner, 'key', 'a function that gives a message id', options?.key);
  const name = options.name ?? 'consumer';
  const store = options.store ?? new MemoryProcessedStore();
  const onDuplicate = optionalFunction(owner, 'onDuplicate', options.onDuplicate);
  const trace = options.trace;
  /** Ids being handled now → resolves to true when that handling succeeded. */
  const inFlight = new Map<string, Promise<boolean>>();

  const duplicate = async (message: M, id: string): Promise<DedupeOutcome<R>> => {
    trace?.record('dedupe.duplicate', { source: name, consumer: name, messageId: id });
    if (onDuplicate) await onDuplicate(message, id);
    return { kind: 'duplicate', id };
  };

  return async (message: M): Promise<DedupeOutcome<R>> => {
    const id = options.key(message);
    for (;;) {
      const running = inFlight.get(id);
      if (running !== undefined) {
        if (await running) return duplicate(message, id);
        continue; // that copy failed: look again
      }
      if (await store.has(id)) return duplicate(message, id);
      if (!inFlight.has(id)) break; // else another copy started while the store answered
    }
    let settle!: (ok: boolean) => void;
    inFlight.set(id, new Promise<boolean>((r) => (settle = r)));
    try {
      const value = await handler(message);
      await store.add(id);
      settle(true);
      return { kind: 'processed', value };
    } catch (error) {
      settle(false);
      throw error;
    } finally {
      inFlight.delete(id);
    }
  };
}
