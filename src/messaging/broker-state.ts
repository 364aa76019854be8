/**
 * The broker's own records: messages, queues with their ready messages in
 * order, exchanges and bindings, and the broker's side of each channel.
 * Plain data and small helpers; the rules live in `broker.ts`.
 */
import type { TimerHandle } from '../sim/scheduler.js';
import type { BrokerClose } from './amqp-errors.js';
import type { ExchangeType, MessageProperties } from './amqp-types.js';
import type { Link } from './link.js';

/** A message as the broker holds it (shared by its copies in several queues). */
export class StoredMessage {
  constructor(
    /** Id used in the trace: the publisher's `messageId`, or one assigned at publish. */
    readonly id: string,
    readonly content: Uint8Array,
    readonly properties: MessageProperties,
    readonly exchange: string,
    readonly routingKey: string,
    /** The routing key and the `CC` keys: what `x-death` calls `routing-keys`. */
    readonly routingKeys: string[],
    readonly persistent: boolean,
    /** `seq` of the trace event that made this message (its publish or its dead-lettering). */
    readonly cause: number,
    /** Per-message TTL (the `expiration` property) in ms, when valid. */
    readonly ttl: number | undefined,
    /** Service that published it (`broker` for dead-lettered copies). */
    readonly source: string,
  ) {}

  /** Correlation id for trace events: the message's own `correlationId`, if any. */
  get correlationId(): string | undefined {
    return this.properties.correlationId;
  }
}

/** One copy of a message in one queue. */
export class Entry {
  /** True once delivered (a later delivery is flagged `redelivered`). */
  redelivered = false;
  constructor(
    readonly msg: StoredMessage,
    /** Place in the queue: requeued messages go back to it. */
    readonly pos: number,
    readonly enqueuedAt: number,
    /** Virtual time at which it expires (Infinity: never). */
    readonly expiresAt: number,
    /** A copy made by a `duplicateRate` fault. */
    readonly duplicate: boolean,
  ) {}
}

/**
 * Ready messages of a queue, ordered by their place: taken from the head,
 * added at the tail, and put back at their old place when requeued.
 */
export class ReadyList {
  private items: (Entry | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  peek(): Entry | undefined {
    return this.items[this.head];
  }
  shift(): Entry | undefined {
    if (this.head >= this.items.length) return undefined;
    const e = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }
  push(e: Entry): void {
    const last = this.items[this.items.length - 1];
    if (last === undefined || this.length === 0 || last.pos < e.pos) this.items.push(e);
    else this.insert(e);
  }
  /** Puts `e` back at its place by `pos`. */
  insert(e: Entry): void {
    if (this.head > 0) {
      // Usually a requeued message goes right back to the head.
      const first = this.items[this.head];
      if (first === undefined || e.pos < first.pos) {
        this.head--;
        this.items[this.head] = e;
        return;
      }
    }
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.pos < e.pos) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, e);
  }
  /** Removes and returns every entry, in order. */
  drain(): Entry[] {
    const out = this.items.slice(this.head) as Entry[];
    this.items = [];
    this.head = 0;
    return out;
  }
  /** Keeps the entries for which `keep` is true; returns the others, in order. */
  removeWhere(drop: (e: Entry) => boolean): Entry[] {
    const all = this.drain();
    const gone: Entry[] = [];
    for (const e of all) (drop(e) ? gone : this.items).push(e);
    return gone;
  }
  /** Entries in order (a copy). */
  toArray(): Entry[] {
    return this.items.slice(this.head) as Entry[];
  }
}

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

/** The arguments of a queue that change how it behaves. */
export interface QueueArgs {
  messageTtl?: number;
  expires?: number;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
  maxLength?: number;
  overflow: 'drop-head' | 'reject-publish' | 'reject-publish-dlx';
}

/** The broker's record of a queue. */
export class QueueState {
  readonly ready = new ReadyList();
  readonly consumers: ConsumerState[] = [];
  /** Round-robin pointer into {@link consumers}. */
  rr = 0;
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
  constructor(
    readonly name: string,
    readonly durable: boolean,
    /** Id of the connection that owns an exclusive queue. */
    readonly exclusiveOwner: number | undefined,
    readonly autoDelete: boolean,
    /** The `x-…` arguments as declared (for equivalence checks). */
    readonly rawArgs: Record<string, unknown>,
    readonly args: QueueArgs,
    readonly counters: QueueCounters,
  ) {
    this.alone = [name];
  }
}

/** A binding from an exchange to a queue or to another exchange. */
export interface Binding {
  source: ExchangeState;
  destination: { kind: 'queue'; queue: QueueState } | { kind: 'exchange'; exchange: ExchangeState };
  routingKey: string;
  args: Record<string, unknown> | undefined;
  /** Identity for unbinding: destination, key and arguments. */
  key: string;
}

/** The broker's record of an exchange. */
export class ExchangeState {
  readonly bindings = new Map<string, Binding>();
  /** For direct exchanges: routing key → bindings. */
  readonly byKey = new Map<string, Binding[]>();
  /** Routing results per routing key (topic/fanout/direct), cleared on any binding change. */
  readonly cache = new Map<string, Binding[]>();
  /** Bindings where this exchange is the destination. */
  readonly incoming = new Set<Binding>();
  constructor(
    readonly name: string,
    readonly type: ExchangeType,
    readonly durable: boolean,
    readonly autoDelete: boolean,
    readonly internal: boolean,
    readonly rawArgs: Record<string, unknown>,
  ) {}
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

/** A consumer as the broker sees it. */
export class ConsumerState {
  unacked = 0;
  constructor(
    readonly tag: string,
    readonly queue: QueueState,
    readonly channel: BrokerChannelState,
    readonly noAck: boolean,
    /** Prefetch limit fixed when the consumer started (0: none). */
    readonly prefetch: number,
    readonly exclusive: boolean,
  ) {}
  /** True when this consumer may take one more message now. */
  hasRoom(): boolean {
    if (this.noAck) return true;
    if (this.prefetch > 0 && this.unacked >= this.prefetch) return false;
    const ch = this.channel;
    return !(ch.globalPrefetch > 0 && ch.consumerUnacked >= ch.globalPrefetch);
  }
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
  constructor(
    readonly id: number,
    /** `service#connection/channel`, for the trace. */
    readonly label: string,
    readonly connectionId: number,
    readonly service: string,
    readonly link: Link,
    readonly sink: ChannelSink,
  ) {}
}

/** What the broker tells a client channel (each call arrives over the link). */
export interface ChannelSink {
  /** A delivery for consumer `consumerTag` from `queue`; `crash` marks a crash-before-ack fault; `epoch` is the channel's incarnation. */
  deliverToConsumer(consumerTag: string, queue: string, msg: StoredMessage, deliveryTag: number, redelivered: boolean, crash: boolean, epoch: number): void;
  /** The broker cancelled the consumer (its queue was deleted). */
  consumerCancelled(consumerTag: string): void;
  /** Publisher confirm for publish number `publishTag`. */
  confirmed(publishTag: number, ack: boolean): void;
  /** An unroutable mandatory message came back. */
  returned(msg: StoredMessage, replyCode: number, replyText: string): void;
  /** The broker closed the channel. */
  closedByBroker(close: BrokerClose): void;
  /** The connection was lost and re-established under the client (crash, broker restart): older deliveries are void. */
  reincarnated(epoch: number): void;
}

/** What the broker tells a client connection. */
export interface ConnectionSink {
  /** The broker closed the connection (and with it every channel). */
  closedByBroker(close: BrokerClose): void;
}
