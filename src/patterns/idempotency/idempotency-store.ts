import { positiveOrInfinite } from '../options.js';
import type { Clock } from '../resilience/policy.js';

/** A response as it was sent, kept to be replayed. */
export interface StoredResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
}

/** What the store knows about one idempotency key. */
export type IdempotencyRecord =
  | { readonly state: 'inProgress'; readonly fingerprint: string; readonly startedAt: number }
  | { readonly state: 'completed'; readonly fingerprint: string; readonly startedAt: number; readonly completedAt: number; readonly response: StoredResponse };

/**
 * Where idempotency keys and their first responses are kept. The in-memory
 * {@link MemoryIdempotencyStore} is the default; implement this to keep
 * them elsewhere.
 */
export interface IdempotencyStore {
  /** The record for `key`, or `undefined` when unknown (or expired). */
  get(key: string): IdempotencyRecord | undefined;
  /** Marks `key` as being handled, for a request body with this fingerprint. */
  begin(key: string, fingerprint: string): void;
  /** Keeps the response sent for `key`. */
  complete(key: string, response: StoredResponse): void;
  /** Forgets `key` (the first attempt failed in a way worth trying again). */
  release(key: string): void;
}

/** Options of {@link MemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** The world's scheduler: records expire in virtual time. */
  clock: Pick<Clock, 'now'>;
  /** How long a key is remembered after it was first seen (ms); default 24 h. */
  ttlMs?: number;
}

/**
 * Idempotency records in a Map, each forgotten `ttlMs` after it began.
 *
 * @example
 * const store = new MemoryIdempotencyStore({ clock: world.scheduler, ttlMs: 60_000 });
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly clock: Pick<Clock, 'now'>;
  readonly ttlMs: number;

  constructor(options: MemoryIdempotencyStoreOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs === undefined ? 24 * 3_600_000 : positiveOrInfinite('idempotencyStore', 'ttlMs', options.ttlMs);
  }

  /** Number of keys remembered (expired ones included until next read). */
  get size(): number {
    return this.records.size;
  }

  get(key: string): IdempotencyRecord | undefined {
    const record = this.records.get(key);
    if (record === undefined) return undefined;
    if (this.clock.now() - record.startedAt >= this.ttlMs) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  begin(key: string, fingerprint: string): void {
    this.records.set(key, { state: 'inProgress', fingerprint, startedAt: this.clock.now() });
  }

  complete(key: string, response: StoredResponse): void {
    const started = this.records.get(key);
    const now = this.clock.now();
    this.records.set(key, { state: 'completed', fingerprint: started?.fingerprint ?? '', startedAt: started?.startedAt ?? now, completedAt: now, response });
  }

  release(key: string): void {
    this.records.delete(key);
  }
}
