import type { TraceEvent } from '../../sim/trace.js';
import { loose, num, prefixLength, str, type LooseEvent } from './trace-access.js';

/** What a broker event does to a queue. */
export type QueueOp = 'enqueue' | 'deliver' | 'ack' | 'nack-requeue' | 'nack-drop' | 'dead-letter' | 'drop' | 'other';

/** Message counts and depth of one queue. */
export interface QueueStats {
  queue: string;
  /** Messages put in the queue (published to it or routed to it). */
  enqueued: number;
  /** Deliveries to consumers (redeliveries included). */
  delivered: number;
  /** Deliveries of a message that had been delivered before. */
  redelivered: number;
  acked: number;
  /** Negative acknowledgements (requeued or not). */
  nacked: number;
  /** Messages moved to a dead-letter exchange from this queue. */
  deadLettered: number;
  /** Messages lost (dropped by a fault, or nacked without requeue and without a dead-letter exchange). */
  dropped: number;
  /** Messages waiting to be delivered. */
  ready: number;
  /** Messages delivered and not yet acked or nacked. */
  unacked: number;
  /** The broker's own depth figure, when its events carry one (else `ready`). */
  depth: number;
}

/**
 * Classifies a broker event (`mq.*`) by what it does to its queue. The broker
 * records one event per step of a message (publish/route into a queue,
 * deliver, ack, nack, dead-letter, drop); kinds it does not know are `other`.
 */
export function queueOp(e: LooseEvent): QueueOp {
  if (!e.kind.startsWith('mq.')) return 'other';
  const verb = e.kind.slice(3).toLowerCase();
  if (/dead/.test(verb)) return 'dead-letter';
  if (/nack|reject/.test(verb)) return e['requeue'] === true ? 'nack-requeue' : 'nack-drop';
  if (/requeue/.test(verb)) return 'nack-requeue';
  if (/^ack/.test(verb)) return 'ack';
  if (/deliver|consume/.test(verb)) return 'deliver';
  if (/drop|lost|expire|purge/.test(verb)) return 'drop';
  if (/enqueue|route|publish|send/.test(verb)) return str(e, 'queue') !== undefined ? 'enqueue' : 'other';
  return 'other';
}

/**
 * Per-queue message counts and depth at `until`, computed from `mq.*` events
 * in one pass.
 *
 * @example
 * queueStats(world.events, 300) // [{ queue: 'orders', enqueued: 4, delivered: 3, acked: 2, ready: 1, unacked: 1, … }]
 */
export function queueStats(events: readonly TraceEvent[], until?: number): QueueStats[] {
  const n = prefixLength(events, until);
  const queues = new Map<string, QueueStats & { seen: Set<string>; reported?: number }>();
  const of = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = { queue: name, enqueued: 0, delivered: 0, redelivered: 0, acked: 0, nacked: 0, deadLettered: 0, dropped: 0, ready: 0, unacked: 0, depth: 0, seen: new Set() };
      queues.set(name, q);
    }
    return q;
  };
  for (let i = 0; i < n; i++) {
    const e = loose(events[i]!);
    if (!e.kind.startsWith('mq.')) continue;
    const name = str(e, 'queue');
    if (name === undefined) continue;
    const q = of(name);
    const op = queueOp(e);
    const id = str(e, 'messageId');
    switch (op) {
      case 'enqueue':
        q.enqueued++;
        q.ready++;
        break;
      case 'deliver':
        q.delivered++;
        if (e['redelivered'] === true || (id !== undefined && q.seen.has(id))) q.redelivered++;
        if (id !== undefined) q.seen.add(id);
        q.ready = Math.max(0, q.ready - 1);
        q.unacked++;
        break;
      case 'ack':
        q.acked++;
        q.unacked = Math.max(0, q.unacked - 1);
        break;
      case 'nack-requeue':
        q.nacked++;
        q.unacked = Math.max(0, q.unacked - 1);
        q.ready++;
        break;
      case 'nack-drop':
        q.nacked++;
        q.unacked = Math.max(0, q.unacked - 1);
        break;
      case 'dead-letter':
        q.deadLettered++;
        break;
      case 'drop':
        q.dropped++;
        break;
      case 'other':
        break;
    }
    const depth = num(e, 'depth') ?? num(e, 'queueDepth') ?? num(e, 'ready');
    if (depth !== undefined) q.reported = depth;
  }
  return [...queues.values()].map(({ seen: _seen, reported, ...q }) => ({ ...q, depth: reported ?? q.ready }));
}
