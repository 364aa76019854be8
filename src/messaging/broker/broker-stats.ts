/**
 * Figures per queue name: running totals that survive deleting and
 * re-declaring a queue, the live figures of queues that exist, and
 * observables of both for the UI (at most one value per instant of virtual
 * time). Every part of the broker calls {@link BrokerStats.touched} when a
 * queue's figures change; that costs nothing while nobody watches.
 */
import { Observable } from 'rxjs';
import type { VirtualScheduler } from '../../sim/scheduler.js';
import { emptyCounters, type QueueCounters, type QueueState } from './broker-state.js';

/** Live figures of one queue (by name: totals survive deleting and re-declaring it). */
export interface QueueStats extends QueueCounters {
  name: string;
  /** False once deleted (totals stay). */
  exists: boolean;
  durable: boolean;
  /** Messages waiting to be delivered. */
  ready: number;
  consumers: number;
}

/** The broker's figures and their observers. */
export class BrokerStats {
  /** Messages no queue took (not mandatory): each also an `mq.drop` event with reason `unroutable`. */
  unroutable = 0;
  private readonly counterRecords = new Map<string, QueueCounters>();
  private watchers = 0;
  private readonly queueListeners = new Map<string, Set<(s: QueueStats) => void>>();
  private readonly allListeners = new Set<(s: Record<string, QueueStats>) => void>();
  private readonly dirty = new Set<string>();
  private flushScheduled = false;

  constructor(
    private readonly scheduler: VirtualScheduler,
    /** The broker's queues by name (read only). */
    private readonly queues: ReadonlyMap<string, QueueState>,
  ) {}

  /** The running totals of queue name `name` (created on first use). */
  countersFor(name: string): QueueCounters {
    let c = this.counterRecords.get(name);
    if (!c) this.counterRecords.set(name, (c = emptyCounters()));
    return c;
  }

  /** Figures of one queue (by name), now. */
  queueStats(name: string): QueueStats {
    const q = this.queues.get(name);
    const c = this.counterRecords.get(name) ?? emptyCounters();
    return {
      name,
      exists: q !== undefined,
      durable: q?.durable ?? false,
      ready: q?.ready.length ?? 0,
      consumers: q?.consumers.length ?? 0,
      ...c,
    };
  }

  /** Figures of every queue name ever declared, sorted by name. */
  allQueueStats(): QueueStats[] {
    const names = new Set([...this.counterRecords.keys(), ...this.queues.keys()]);
    return [...names].sort().map((n) => this.queueStats(n));
  }

  /** Messages dropped so far, over all queues. */
  totalDropped(): number {
    let n = 0;
    for (const c of this.counterRecords.values()) n += c.dropped;
    return n;
  }

  /** Live figures of one queue: the current value at once, then one value whenever they change. */
  queueStats$(name: string): Observable<QueueStats> {
    return new Observable<QueueStats>((sub) => {
      const listener = (s: QueueStats) => sub.next(s);
      let set = this.queueListeners.get(name);
      if (!set) this.queueListeners.set(name, (set = new Set()));
      set.add(listener);
      this.watchers++;
      sub.next(this.queueStats(name));
      return () => {
        set.delete(listener);
        this.watchers--;
      };
    });
  }

  /** Live figures of every queue, keyed by name (emits whenever any queue changes). */
  stats$(): Observable<Record<string, QueueStats>> {
    return new Observable<Record<string, QueueStats>>((sub) => {
      const listener = (s: Record<string, QueueStats>) => sub.next(s);
      this.allListeners.add(listener);
      this.watchers++;
      sub.next(this.allStats());
      return () => {
        this.allListeners.delete(listener);
        this.watchers--;
      };
    });
  }

  /** The figures of queue `name` changed: observers hear of it once this instant's work is done. */
  touched(name: string): void {
    if (this.watchers === 0) return;
    this.dirty.add(name);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.scheduler.after(0, () => this.flush());
  }

  private allStats(): Record<string, QueueStats> {
    const out: Record<string, QueueStats> = {};
    for (const s of this.allQueueStats()) out[s.name] = s;
    return out;
  }

  private flush(): void {
    this.flushScheduled = false;
    const names = [...this.dirty];
    this.dirty.clear();
    for (const n of names) {
      const set = this.queueListeners.get(n);
      if (set && set.size > 0) {
        const s = this.queueStats(n);
        for (const l of [...set]) l(s);
      }
    }
    if (this.allListeners.size > 0) {
      const all = this.allStats();
      for (const l of [...this.allListeners]) l(all);
    }
  }
}
