import type { TraceEvent } from '../../sim/trace.js';

/** Lifeline of events without a source. */
export const UNKNOWN_PARTY = '?';

/** Kinds of lifeline / map node. */
export type PartyKind = 'client' | 'service' | 'exchange' | 'queue' | 'broker' | 'world' | 'unknown';

/** The mark before a lifeline's or a box's name, by kind (services have none). */
export const PARTY_MARK: Readonly<Partial<Record<PartyKind, string>>> = { exchange: '⇄ ', queue: '☰ ', client: '◉ ', broker: '⛁ ' };

/** The queue and the exchange an event is about, when it is about one (broker events and broker faults). */
function brokerNames(e: TraceEvent): { queue?: string | undefined; exchange?: string | undefined } {
  switch (e.kind) {
    case 'mq.publish':
    case 'mq.route':
    case 'mq.return':
      return { exchange: e.exchange };
    case 'mq.dead-letter':
    case 'mq.drop':
      return { queue: e.queue, exchange: e.exchange };
    case 'mq.enqueue':
    case 'mq.deliver':
    case 'mq.ack':
    case 'mq.nack':
    case 'mq.requeue':
    case 'mq.expire':
    case 'mq.consumer':
    case 'fault':
      return { queue: e.queue };
    default:
      return {};
  }
}

/**
 * The lifeline id of `name` (the event's source or target) as used in `e`: a
 * name that is also the event's queue or exchange is that queue or exchange
 * (`queue:orders`, `exchange:orders`), so a queue and a service of the same
 * name get separate lifelines. The queue is looked at first: a dead letter
 * leaves its queue for an exchange that may bear the same name.
 *
 * @example
 * partyOf(deliverEvent, 'orders') // 'queue:orders' when the delivery is from queue `orders`
 */
export function partyOf(e: TraceEvent, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const { queue, exchange } = brokerNames(e);
  if (queue === name) return `queue:${name}`;
  if (exchange === name) return `exchange:${name}`;
  return name;
}

/** True for exchanges, queues and the broker itself. */
export function isBrokerParty(id: string): boolean {
  const k = partyKind(id);
  return k === 'exchange' || k === 'queue' || k === 'broker';
}

/** Kind of a lifeline id made by {@link partyOf}. */
export function partyKind(id: string): PartyKind {
  if (id.startsWith('exchange:')) return 'exchange';
  if (id.startsWith('queue:')) return 'queue';
  if (id === 'client') return 'client';
  if (id === 'broker') return 'broker';
  if (id === 'world') return 'world';
  if (id === UNKNOWN_PARTY) return 'unknown';
  return 'service';
}

/** Display name of a lifeline id: `queue:orders` → `orders`, the default exchange → `(default)`. */
export function partyName(id: string): string {
  const k = partyKind(id);
  if (k === 'exchange') return id.slice(9) || '(default)';
  if (k === 'queue') return id.slice(6);
  return id;
}
