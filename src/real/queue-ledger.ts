import type { Broker, QueueStats } from '../messaging/index.js';
import { notInRealMode } from './not-in-real-mode.js';

/** What this process learnt about a queue from its own `assertQueue`. */
export interface QueueDeclaration {
  durable: boolean;
  /** Where rejected messages go; absent: they are dropped. */
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
}

/** What happens to a message rejected without requeue, as far as this process knows. */
export type RejectOutcome = { kind: 'dead-letter'; exchange: string; routingKey?: string } | { kind: 'drop' } | { kind: 'unknown' };

type Counters = Omit<QueueStats, 'name' | 'exists' | 'durable' | 'ready' | 'consumers'>;

const zero = (): Counters => ({ published: 0, delivered: 0, redelivered: 0, acked: 0, requeued: 0, deadLettered: 0, dropped: 0, unacked: 0, expired: 0 });

/**
 * Queue figures of a real run, counted from what this process's channels did
 * (a real broker tells a client only how many messages are ready). They are
 * exact when every publisher and consumer of the queue runs in this process
 * and publishes through the default exchange (`sendToQueue`); messages routed
 * through other exchanges are not counted as published.
 *
 * @example
 * ledger.published('tasks'); ledger.delivered('tasks', false); ledger.acked('tasks');
 * ledger.stats('tasks'); // { published: 1, delivered: 1, acked: 1, ready: 0, unacked: 0, … }
 */
export class QueueLedger {
  private readonly counters = new Map<string, Counters>();
  private readonly declared = new Map<string, QueueDeclaration>();
  private readonly consumerCount = new Map<string, number>();

  private of(queue: string): Counters {
    let c = this.counters.get(queue);
    if (!c) this.counters.set(queue, (c = zero()));
    return c;
  }

  /** The queue was asserted here with these settings. */
  declare(queue: string, declaration: QueueDeclaration): void {
    this.declared.set(queue, declaration);
    this.of(queue);
  }

  /** True once this process asserted the queue. */
  isDeclared(queue: string): boolean {
    return this.declared.has(queue);
  }

  published(queue: string): void {
    this.of(queue).published++;
  }

  delivered(queue: string, redelivered: boolean, noAck: boolean): void {
    const c = this.of(queue);
    c.delivered++;
    if (redelivered) c.redelivered++;
    if (noAck) c.acked++;
    else c.unacked++;
  }

  acked(queue: string): void {
    const c = this.of(queue);
    c.acked++;
    c.unacked = Math.max(0, c.unacked - 1);
  }

  requeued(queue: string): void {
    const c = this.of(queue);
    c.requeued++;
    c.unacked = Math.max(0, c.unacked - 1);
  }

  /** A message was rejected without requeue: counts it and says where it went. */
  rejected(queue: string): RejectOutcome {
    const c = this.of(queue);
    c.unacked = Math.max(0, c.unacked - 1);
    const d = this.declared.get(queue);
    if (!d) return { kind: 'unknown' };
    if (d.deadLetterExchange === undefined) {
      c.dropped++;
      return { kind: 'drop' };
    }
    c.deadLettered++;
    return { kind: 'dead-letter', exchange: d.deadLetterExchange, ...(d.deadLetterRoutingKey !== undefined ? { routingKey: d.deadLetterRoutingKey } : {}) };
  }

  /** A channel with unacknowledged deliveries closed: the broker puts them back. */
  returned(queue: string, count: number): void {
    const c = this.of(queue);
    c.requeued += count;
    c.unacked = Math.max(0, c.unacked - count);
  }

  consumer(queue: string, delta: 1 | -1): void {
    this.consumerCount.set(queue, Math.max(0, (this.consumerCount.get(queue) ?? 0) + delta));
  }

  /** The figures of `queue`, shaped like the simulated broker's `queueStats`. */
  stats(queue: string): QueueStats {
    const c = { ...this.of(queue) };
    const taken = c.delivered - c.requeued;
    return {
      name: queue,
      exists: this.declared.has(queue),
      durable: this.declared.get(queue)?.durable ?? false,
      ready: Math.max(0, c.published - taken),
      consumers: this.consumerCount.get(queue) ?? 0,
      ...c,
    };
  }
}

/**
 * What `broker()` gives a program in real mode: `queueStats` from the
 * ledger; every other member of the simulated broker throws a message that
 * says it is not available yet.
 */
export function brokerView(ledger: QueueLedger): Broker {
  const view = { queueStats: (name: string) => ledger.stats(name) };
  // The program is typed against the simulated broker; only the members above exist here.
  return new Proxy(view, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      if (typeof key === 'symbol' || key === 'then') return undefined;
      throw notInRealMode(`broker().${key}`);
    },
  }) as unknown as Broker;
}
