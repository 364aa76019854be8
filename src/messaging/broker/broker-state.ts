/**
 * The broker's own records: queues, exchanges and bindings, consumers, and
 * the broker's side of each channel. Plain data and small helpers; the rules
 * live in the parts that change them (topology, queues, acknowledgements,
 * connections).
 */
import type { SimContext } from '../../sim/context.js';
import type { TimerHandle } from '../../sim/scheduler.js';
import type { ExchangeType } from '../amqp-types.js';
import type { Link } from '../link.js';
import type { ExchangeProperties, QueueArgs, QueueProperties } from './arguments.js';
import { PriorityReadyList } from './priority-ready-list.js';
import { ReadyList, type ReadyMessages } from './ready-list.js';
import type { ChannelSink } from './sinks.js';
import type { Entry } from './stored-message.js';

/** What a broker needs from its world: clock, randomness, trace, fault plan and the epoch for `x-death` times. */
export type BrokerWorld = SimContext & { readonly epoch?: number };

/** Running totals of one queue name (kept across delete and re-declare). */
export interface QueueCounters {
  /** Copies that arrived (published, dead-lettered in, or duplicated by a fault; lost-by-fault ones too). */
  published: number;
  /** Deliveries to consumers and `get`, redeliveries included. */
  delivered: number;
  /** Deliveries flagged `redelivered`. */
  redelivered: number;
  acked: number;
  /** Unacknowledged messages put back (by nack, reject, channel close, crash…). */
  requeued: number;
  deadLettered: number;
  /** Discarded: every `mq.drop` event of this queue. */
  dropped: number;
  /** Delivered and not yet acknowledged, nacked or requeued (a live figure, not a total). */
  unacked: number;
  /** Expired at the head (then dead-lettered or dropped). */
  expired: number;
}

/** Counters of a queue name that has seen nothing yet. */
export function emptyCounters(): QueueCounters {
  return { published: 0, delivered: 0, redelivered: 0, acked: 0, requeued: 0, deadLettered: 0, dropped: 0, expired: 0, unacked: 0 };
}

/** How a queue was declared. */
export interface QueueDeclaration extends QueueProperties {
  /** Id of the connection that owns an exclusive queue. */
  exclusiveOwner: number | undefined;
  args: QueueArgs;
}

/** The broker's record of a queue. */
export class QueueState implements QueueProperties {
  /** Ready messages: in order of arrival, or by priority in a priority queue. */
  readonly ready: ReadyMessages;
  /**
   * Consumers, highest `x-priority` first and in order of arrival within a
   * priority (with single active consumer: in order of arrival only, the
   * first being the active one).
   */
  readonly consumers: ConsumerState[] = [];
  /** Round-robin pointer into {@link consumers} (while they all have the same priority). */
  rr = 0;
  /** Round-robin pointers within each consumer priority, while consumers of several priorities share the queue. */
  readonly rrByPriority = new Map<number, number>();
  nextPos = 0;
  /** True while the dispatch loop runs (guards against re-entry). */
  dispatching = false;
  hadConsumer = false;
  deleted = false;
  expiryTimer: TimerHandle | undefined;
  expiryAt = Infinity;
  unusedTimer: TimerHandle | undefined;
  /** Bindings whose destination is this queue. */
  readonly bindings = new Set<Binding>();
  /** `[name]`, shared by the trace events of messages routed only here (trace events are never mutated). */
  readonly alone: readonly string[];
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly exclusiveOwner: number | undefined;
  /** The `x-…` arguments as declared (for equivalence checks). */
  readonly rawArgs: Record<string, unknown>;
  readonly args: QueueArgs;
  /** Has `x-max-length` or `x-max-length-bytes`. */
  readonly limited: boolean;
  constructor(
    readonly name: string,
    declared: QueueDeclaration,
    readonly counters: QueueCounters,
  ) {
    this.alone = [name];
    this.durable = declared.durable;
    this.autoDelete = declared.autoDelete;
    this.exclusiveOwner = declared.exclusiveOwner;
    this.rawArgs = declared.rawArgs;
    this.args = declared.args;
    this.limited = declared.args.maxLength !== undefined || declared.args.maxLengthBytes !== undefined;
    const max = declared.args.maxPriority;
    this.ready = max === undefined ? new ReadyList() : new PriorityReadyList(max);
  }
}

/** Where a binding sends messages: a queue, or another exchange. */
export type BindingDestination = { kind: 'queue'; queue: QueueState } | { kind: 'exchange'; exchange: ExchangeState };

/** A binding from an exchange to a queue or to another exchange. */
export interface Binding {
  source: ExchangeState;
  destination: BindingDestination;
  routingKey: string;
  args: Record<string, unknown> | undefined;
  /** Identity for unbinding: destination, key and arguments. */
  key: string;
}

/** The broker's record of an exchange. */
export class ExchangeState implements ExchangeProperties {
  readonly bindings = new Map<string, Binding>();
  /** For direct exchanges: routing key → bindings. */
  readonly byKey = new Map<string, Binding[]>();
  /** Routing results per routing key (topic/fanout/direct), cleared on any binding change. */
  readonly cache = new Map<string, Binding[]>();
  /** Bindings where this exchange is the destination. */
  readonly incoming = new Set<Binding>();
  readonly type: ExchangeType;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly internal: boolean;
  readonly rawArgs: Record<string, unknown>;
  constructor(
    readonly name: string,
    declared: ExchangeProperties,
  ) {
    this.type = declared.type;
    this.durable = declared.durable;
    this.autoDelete = declared.autoDelete;
    this.internal = declared.internal;
    this.rawArgs = declared.rawArgs;
  }
  /** `alternate-exchange` argument. */
  get alternate(): string | undefined {
    const ae = this.rawArgs['alternate-exchange'];
    return typeof ae === 'string' ? ae : undefined;
  }
}

/** One delivery the broker waits to hear back about. */
export interface Delivery {
  tag: number;
  entry: Entry;
  queue: QueueState;
  /** Absent for `get`. */
  consumer: ConsumerState | undefined;
}

/** How a consumer was started. */
export interface ConsumerOptions {
  /** Deliveries count as acknowledged when sent. */
  noAck: boolean;
  /** Prefetch limit fixed when the consumer started (0: none). */
  prefetch: number;
  /** No other consumer may consume from the queue. */
  exclusive: boolean;
  /** `x-priority`: consumers of a higher priority are served first (default 0). */
  priority: number;
}

/** A consumer as the broker sees it. */
export class ConsumerState {
  unacked = 0;
  readonly noAck: boolean;
  readonly prefetch: number;
  readonly exclusive: boolean;
  readonly priority: number;
  constructor(
    readonly tag: string,
    readonly queue: QueueState,
    readonly channel: BrokerChannelState,
    options: ConsumerOptions,
  ) {
    this.noAck = options.noAck;
    this.prefetch = options.prefetch;
    this.exclusive = options.exclusive;
    this.priority = options.priority;
  }
  /** True when this consumer may take one more message now. */
  hasRoom(): boolean {
    if (this.noAck) return true;
    if (this.prefetch > 0 && this.unacked >= this.prefetch) return false;
    const ch = this.channel;
    return !(ch.globalPrefetch > 0 && ch.consumerUnacked >= ch.globalPrefetch);
  }
}

/** Who a channel belongs to, at the broker. */
export interface ChannelOwner {
  /** Channel number on its connection. */
  id: number;
  connectionId: number;
  service: string;
  /** The connection's wire. */
  link: Link;
  /** Where the broker's frames for this channel go. */
  sink: ChannelSink;
}

/** The broker's side of a channel. */
export class BrokerChannelState {
  open = true;
  /** Bumped when the owning process crashes or the broker restarts: older frames are void. */
  epoch = 0;
  nextTag = 1;
  readonly unacked = new Map<number, Delivery>();
  readonly consumers = new Map<string, ConsumerState>();
  /** Prefetch for consumers started from now on (per consumer). */
  prefetch = 0;
  /** Prefetch shared by all consumers of the channel (`prefetch(n, true)`). */
  globalPrefetch = 0;
  /** Unacknowledged consumer deliveries of this channel. */
  consumerUnacked = 0;
  confirm = false;
  readonly id: number;
  readonly connectionId: number;
  readonly service: string;
  readonly link: Link;
  readonly sink: ChannelSink;
  /** `service#connection/channel`, for the trace. */
  readonly label: string;
  constructor(owner: ChannelOwner) {
    this.id = owner.id;
    this.connectionId = owner.connectionId;
    this.service = owner.service;
    this.link = owner.link;
    this.sink = owner.sink;
    this.label = `${owner.service}#${owner.connectionId}/${owner.id}`;
  }
}
