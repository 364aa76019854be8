import { Observable } from 'rxjs';
import type { SimContext } from '../sim/context.js';
import { sampleLatency, type QueueFaults } from '../sim/faults.js';
import type { Rng } from '../sim/rng.js';
import { DEFAULT_EPOCH } from '../sim/world.js';
import { BrokerClose, brokerText, ReplyCode } from './amqp-errors.js';
import type { ExchangeType, MessageProperties, Options, Replies, XDeath } from './amqp-types.js';
import {
  BrokerChannelState,
  ConsumerState,
  Entry,
  ExchangeState,
  QueueState,
  StoredMessage,
  type Binding,
  type ChannelSink,
  type ConnectionSink,
  type Delivery,
  type QueueArgs,
  type QueueCounters,
} from './broker-state.js';
import { decodeUtf8 } from './bytes.js';
import { openConnection, type Connection } from './connection.js';
import { Link } from './link.js';
import { headersMatch, topicMatches } from './routing.js';
import type { DeadLetterReason, MqDropReason, MqRequeueReason } from './trace-events.js';

/** What a broker needs from its world: clock, randomness, trace, fault plan and the epoch for `x-death` times. */
export type BrokerWorld = SimContext & { readonly epoch?: number };

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

/** An exchange, for the UI. */
export interface ExchangeInfo {
  name: string;
  type: ExchangeType;
  durable: boolean;
  internal: boolean;
}

/** A binding, for the UI. */
export interface BindingInfo {
  source: string;
  destination: string;
  destinationType: 'queue' | 'exchange';
  routingKey: string;
  args?: Record<string, unknown>;
}

/** Everything the broker holds, at one moment. */
export interface BrokerSnapshot {
  time: number;
  queues: QueueStats[];
  exchanges: ExchangeInfo[];
  bindings: BindingInfo[];
  /** Messages no queue took (not mandatory): each also an `mq.drop` event with reason `unroutable`. */
  unroutable: number;
  connections: Array<{ id: number; service: string; channels: number }>;
}

/** What a publish carries to the broker. */
export interface PublishFrame {
  exchange: string;
  routingKey: string;
  content: Uint8Array;
  properties: MessageProperties;
  mandatory: boolean;
  messageId: string;
  /** `seq` of the `mq.publish` event. */
  cause: number;
  /** Publish number on a confirm channel (0 otherwise). */
  publishTag: number;
  epoch: number;
}

/** A `get` result before it becomes a client message. */
export interface GetResult {
  msg: StoredMessage;
  deliveryTag: number;
  redelivered: boolean;
  messageCount: number;
}

interface ConnectionRecord {
  id: number;
  service: string;
  link: Link;
  sink: ConnectionSink;
  channels: Map<number, BrokerChannelState>;
  nextChannel: number;
  open: boolean;
}

const CHECKED_QUEUE_ARGS = [
  'x-expires',
  'x-message-ttl',
  'x-dead-letter-exchange',
  'x-dead-letter-routing-key',
  'x-max-length',
  'x-max-length-bytes',
  'x-max-priority',
  'x-overflow',
  'x-queue-mode',
  'x-queue-type',
  'x-single-active-consumer',
];

const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers'];

function amqpType(v: unknown): string {
  if (typeof v === 'string') return 'longstr';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? (v >= -2147483648 && v <= 2147483647 ? 'signedint' : 'long') : 'double';
  if (Array.isArray(v)) return 'array';
  return 'table';
}

function describeArg(v: unknown): string {
  return v === undefined ? 'none' : `the value '${typeof v === 'object' ? JSON.stringify(v) : String(v)}' of type '${amqpType(v)}'`;
}

function sameArg(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

function base64url(rng: Rng, n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.nextUint32() & 63];
  return s;
}

const brokers = new WeakMap<object, Broker>();

/**
 * The world's broker, created on first use: one per world, nothing shared
 * between worlds.
 *
 * @example
 * const broker = brokerOf(world);
 * const conn = await broker.connect('orders');
 */
export function brokerOf(world: BrokerWorld): Broker {
  let b = brokers.get(world);
  if (!b) {
    b = new Broker(world);
    brokers.set(world, b);
  }
  return b;
}

/** Same as {@link brokerOf}: the world's one broker (created on first call). */
export function createBroker(world: BrokerWorld): Broker {
  return brokerOf(world);
}

/**
 * An in-memory broker that behaves as RabbitMQ 3.10 does: exchanges (direct,
 * fanout, topic, headers, and the default exchange), queues with TTL,
 * max-length and dead-lettering, round-robin consumers with prefetch, manual
 * acknowledgements, publisher confirms and mandatory returns. Everything takes
 * virtual time (the broker latency of the fault plan, or the world's network
 * latency) and every step is a trace event.
 *
 * Clients use it through the amqplib-shaped {@link Connection} and
 * {@link Channel} returned by {@link connect}.
 *
 * Simulation choices worth knowing: a crashed consumer process and a broker
 * restart are followed by an automatic reconnect of the same channel objects
 * (as a connection manager would do), so consumers keep consuming; a
 * channel's unacknowledged messages are requeued as RabbitMQ does when a
 * connection drops.
 *
 * @example
 * const broker = brokerOf(world);
 * const conn = await broker.connect('orders');
 * const ch = await conn.createChannel();
 * await ch.assertQueue('order-created');
 * ch.sendToQueue('order-created', Buffer.from('{"orderId":1}'), { persistent: true });
 * broker.snapshot().queues; // [{ name: 'order-created', ready: 1, … }]
 */
export class Broker {
  private readonly queues = new Map<string, QueueState>();
  private readonly exchanges = new Map<string, ExchangeState>();
  private readonly counterRecords = new Map<string, QueueCounters>();
  private readonly connectionRecords = new Map<number, ConnectionRecord>();
  private readonly defaultExchange: ExchangeState;
  private readonly faultRng: Rng;
  private readonly latencyRng: Rng;
  private readonly nameRng: Rng;
  private nextConnection = 1;
  private unroutableCount = 0;
  private deferred: Array<() => void> = [];
  // statistics listeners
  private watchers = 0;
  private readonly queueListeners = new Map<string, Set<(s: QueueStats) => void>>();
  private readonly allListeners = new Set<(s: Record<string, QueueStats>) => void>();
  private readonly dirty = new Set<string>();
  private flushScheduled = false;

  constructor(readonly world: BrokerWorld) {
    this.faultRng = world.rng.fork('broker-faults');
    this.latencyRng = world.rng.fork('broker-latency');
    this.nameRng = world.rng.fork('broker-names');
    this.defaultExchange = new ExchangeState('', 'direct', true, false, false, {});
    for (const [name, type] of [
      ['amq.direct', 'direct'],
      ['amq.fanout', 'fanout'],
      ['amq.topic', 'topic'],
      ['amq.headers', 'headers'],
      ['amq.match', 'headers'],
    ] as const)
      this.exchanges.set(name, new ExchangeState(name, type, true, false, false, {}));
    const now = world.scheduler.now();
    for (const t of world.faults.broker?.restarts ?? []) if (t >= now) world.scheduler.at(t, () => this.restart('fault plan'), { sync: true });
  }

  // ───────────────────────────── public face ─────────────────────────────

  /**
   * Opens a connection for `service` (the owner of everything done through
   * it, for the trace). Also accepts an amqp URL whose user name is the
   * service, e.g. `amqp://orders@localhost`. Resolves after one round trip.
   */
  connect(serviceOrUrl = 'client'): Promise<Connection> {
    return openConnection(this, serviceFromTarget(serviceOrUrl));
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

  /** Everything the broker holds, now (synchronous). */
  snapshot(): BrokerSnapshot {
    const names = new Set([...this.counterRecords.keys(), ...this.queues.keys()]);
    const bindings: BindingInfo[] = [];
    for (const x of this.exchanges.values())
      for (const b of x.bindings.values())
        bindings.push({
          source: x.name,
          destination: b.destination.kind === 'queue' ? b.destination.queue.name : b.destination.exchange.name,
          destinationType: b.destination.kind,
          routingKey: b.routingKey,
          ...(b.args ? { args: b.args } : {}),
        });
    return {
      time: this.world.scheduler.now(),
      queues: [...names].sort().map((n) => this.queueStats(n)),
      exchanges: [...this.exchanges.values()].map((x) => ({ name: x.name, type: x.type, durable: x.durable, internal: x.internal })),
      bindings,
      unroutable: this.unroutableCount,
      connections: [...this.connectionRecords.values()].map((c) => ({ id: c.id, service: c.service, channels: c.channels.size })),
    };
  }

  /**
   * Live figures of one queue: the current value at once, then one value
   * whenever they change (at most once per instant of virtual time).
   *
   * @example
   * broker.queueStats$('orders').subscribe((s) => console.log(s.ready, s.unacked));
   */
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

  /**
   * Restarts the broker now: connections drop (unacknowledged messages are
   * requeued, frames in flight are lost) and come back at once; non-durable
   * and exclusive queues, non-durable exchanges and transient messages are
   * gone; durable queues keep their persistent messages. Consumers of
   * surviving queues keep consuming; consumers of lost queues are cancelled.
   */
  restart(why = 'requested'): void {
    const lostBefore = this.totalDropped();
    this.world.trace.record('fault', { source: 'broker', fault: 'broker-restart', detail: `broker restarts (${why})` });
    for (const conn of this.connectionRecords.values())
      for (const ch of conn.channels.values()) {
        ch.epoch++;
        ch.sink.reincarnated(ch.epoch);
        this.requeueAll(ch, 'broker-restart', false);
      }
    for (const q of [...this.queues.values()]) {
      if (!q.durable || q.exclusiveOwner !== undefined) {
        this.deleteQueueState(q, 'restart', 'broker');
        continue;
      }
      for (const e of q.ready.removeWhere((e) => !e.msg.persistent)) this.dropEntry(q, e, 'restart', 'broker');
      this.scheduleExpiry(q);
    }
    for (const x of [...this.exchanges.values()]) if (!x.durable) this.deleteExchangeState(x);
    this.world.trace.record('log', {
      source: 'broker',
      level: 'warn',
      message: `broker restarted: ${this.totalDropped() - lostBefore} message(s) lost, ${this.queues.size} queue(s) kept`,
    });
    for (const q of this.queues.values()) this.dispatch(q);
  }

  /**
   * Simulates the process that owns `service`'s connections crashing and
   * reconnecting at once: every unacknowledged delivery on them is requeued
   * and acknowledgements not yet sent are lost. Used by the
   * `crashBeforeAckRate` fault; handy in tests.
   */
  crashService(service: string): void {
    for (const conn of this.connectionRecords.values()) if (conn.service === service) for (const ch of conn.channels.values()) this.crashNow(ch);
  }

  // ───────────────────────────── client plumbing (internal) ─────────────────────────────

  /** @internal the broker latency, drawn for one frame */
  sampleLatency(): number {
    return sampleLatency(this.world.faults.broker?.latency ?? this.world.networkLatency, this.latencyRng);
  }

  /** @internal a fresh connection record and its link */
  openConnection(service: string, sink: ConnectionSink): { id: number; link: Link } {
    const id = this.nextConnection++;
    const link = new Link(
      this.world.scheduler,
      () => this.sampleLatency(),
      (error) => this.reportError(service, error),
    );
    this.connectionRecords.set(id, { id, service, link, sink, channels: new Map(), nextChannel: 1, open: true });
    return { id, link };
  }

  /** @internal opens a channel on a connection (at the broker) */
  openChannel(connectionId: number, sink: ChannelSink): BrokerChannelState {
    const conn = this.connectionRecords.get(connectionId);
    if (!conn || !conn.open) throw new BrokerClose(ReplyCode.CONNECTION_FORCED, 'CONNECTION_FORCED - connection is closed', 'ChannelOpen', true);
    const id = conn.nextChannel++;
    const label = `${conn.service}#${conn.id}/${id}`;
    const ch = new BrokerChannelState(id, label, conn.id, conn.service, conn.link, sink);
    conn.channels.set(id, ch);
    this.world.trace.record('mq.channel', { source: conn.service, target: 'broker', action: 'open', channel: label });
    return ch;
  }

  /** @internal the client closed a channel */
  closeChannel(ch: BrokerChannelState): void {
    this.closeChannelState(ch, 'channel-closed', undefined);
  }

  /** @internal the client closed its connection */
  closeConnection(connectionId: number): void {
    const conn = this.connectionRecords.get(connectionId);
    if (!conn || !conn.open) return;
    conn.open = false;
    for (const ch of [...conn.channels.values()]) this.closeChannelState(ch, 'connection-closed', undefined);
    this.connectionRecords.delete(connectionId);
    for (const q of [...this.queues.values()]) if (q.exclusiveOwner === connectionId) this.deleteQueueState(q, 'deleted', conn.service);
  }

  /** @internal the broker closes a channel (or its connection) because of an error */
  fail(ch: BrokerChannelState, close: BrokerClose): void {
    if (close.connectionLevel) {
      const conn = this.connectionRecords.get(ch.connectionId);
      if (!conn || !conn.open) return;
      this.world.trace.record('mq.channel', { source: ch.service, target: 'broker', action: 'error', channel: `${conn.service}#${conn.id}`, error: close.text });
      conn.open = false;
      for (const c of [...conn.channels.values()]) this.closeChannelState(c, 'connection-closed', undefined);
      this.connectionRecords.delete(conn.id);
      for (const q of [...this.queues.values()]) if (q.exclusiveOwner === conn.id) this.deleteQueueState(q, 'deleted', conn.service);
      conn.link.toClient(() => conn.sink.closedByBroker(close));
      return;
    }
    if (!ch.open) return;
    this.closeChannelState(ch, 'channel-closed', close);
    ch.link.toClient(() => ch.sink.closedByBroker(close));
  }

  /**
   * @internal the process owning a channel crashed and its client reconnected:
   * unacked messages are requeued, frames of the old incarnation are void.
   * `epoch` is the incarnation the client moved to (default: the next one).
   */
  crashNow(ch: BrokerChannelState, epoch = ch.epoch + 1): void {
    if (!ch.open) return;
    if (epoch > ch.epoch) ch.epoch = epoch;
    ch.sink.reincarnated(ch.epoch);
    this.requeueAll(ch, 'consumer-crash');
  }

  /** @internal runs work queued to happen after an RPC's reply was sent (e.g. deliveries after consume-ok) */
  runDeferred(): void {
    while (this.deferred.length > 0) {
      const list = this.deferred;
      this.deferred = [];
      for (const fn of list) fn();
    }
  }

  /** Records an error that escaped a frame handler. */
  private reportError(service: string, error: unknown): void {
    this.world.trace.record('error', {
      source: service,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
  }

  // ───────────────────────────── declarations ─────────────────────────────

  /** @internal queue.declare */
  assertQueue(ch: BrokerChannelState, name: string | undefined, options: Options.AssertQueue = {}): Replies.AssertQueue {
    let qname = name ?? '';
    if (typeof qname !== 'string') throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - queue name must be a string`, 'QueueDeclare');
    if (qname.startsWith('amq.')) throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.reservedQueue(qname), 'QueueDeclare');
    if (qname === '') {
      do qname = `amq.gen-${base64url(this.nameRng, 22)}`;
      while (this.queues.has(qname));
    }
    const { raw, args } = queueArguments(qname, options);
    const durable = options.durable === undefined ? true : !!options.durable;
    const exclusive = !!options.exclusive;
    const autoDelete = !!options.autoDelete;
    const existing = this.queues.get(qname);
    if (existing) {
      if (existing.exclusiveOwner !== (exclusive ? ch.connectionId : undefined)) throw new BrokerClose(ReplyCode.RESOURCE_LOCKED, brokerText.locked(qname), 'QueueDeclare');
      if (existing.durable !== durable)
        throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inequivalent('queue', qname, 'durable', `'${durable}'`, `'${existing.durable}'`), 'QueueDeclare');
      if (existing.autoDelete !== autoDelete)
        throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inequivalent('queue', qname, 'auto_delete', `'${autoDelete}'`, `'${existing.autoDelete}'`), 'QueueDeclare');
      for (const key of CHECKED_QUEUE_ARGS) {
        const got = raw[key];
        const cur = existing.rawArgs[key];
        if (!sameArg(got, cur))
          throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inequivalent('queue', qname, key, describeArg(got), describeArg(cur)), 'QueueDeclare');
      }
      this.touchUnused(existing);
      return { queue: qname, messageCount: existing.ready.length, consumerCount: existing.consumers.length };
    }
    const q = new QueueState(qname, durable, exclusive ? ch.connectionId : undefined, autoDelete, raw, args, this.countersFor(qname));
    this.queues.set(qname, q);
    this.world.trace.record('mq.topology', {
      source: ch.service,
      target: qname,
      action: 'queue.declare',
      name: qname,
      detail: { durable, exclusive, autoDelete, ...(Object.keys(raw).length ? { arguments: raw } : {}) },
    });
    this.touchUnused(q);
    this.touched(qname);
    return { queue: qname, messageCount: 0, consumerCount: 0 };
  }

  /** @internal queue.declare passive */
  checkQueue(ch: BrokerChannelState, name: string): Replies.AssertQueue {
    const q = this.mustQueue(name, 'QueueDeclare', ch);
    this.touchUnused(q);
    return { queue: q.name, messageCount: q.ready.length, consumerCount: q.consumers.length };
  }

  /** @internal queue.delete */
  deleteQueue(ch: BrokerChannelState, name: string, options: Options.DeleteQueue = {}): Replies.DeleteQueue {
    const q = this.queues.get(name);
    if (!q) return { messageCount: 0 };
    this.checkExclusive(q, ch, 'QueueDelete');
    if (options.ifUnused && q.consumers.length > 0) throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inUse(name), 'QueueDelete');
    if (options.ifEmpty && q.ready.length > 0) throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.notEmpty(name), 'QueueDelete');
    const messageCount = q.ready.length;
    this.deleteQueueState(q, 'deleted', ch.service);
    return { messageCount };
  }

  /** @internal queue.purge */
  purgeQueue(ch: BrokerChannelState, name: string): Replies.PurgeQueue {
    const q = this.mustQueue(name, 'QueuePurge', ch);
    const gone = q.ready.drain();
    for (const e of gone) this.dropEntry(q, e, 'purged', ch.service);
    this.world.trace.record('mq.topology', { source: ch.service, target: name, action: 'queue.purge', name, detail: { messageCount: gone.length } });
    this.scheduleExpiry(q);
    this.touched(name);
    return { messageCount: gone.length };
  }

  /** @internal exchange.declare */
  assertExchange(ch: BrokerChannelState, name: string, type: string, options: Options.AssertExchange = {}): Replies.AssertExchange {
    if (typeof name !== 'string') throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, 'PRECONDITION_FAILED - exchange name must be a string', 'ExchangeDeclare');
    if (!EXCHANGE_TYPES.includes(type as ExchangeType))
      throw new BrokerClose(ReplyCode.COMMAND_INVALID, brokerText.unknownType(String(type)), 'ExchangeDeclare', true);
    if (name === '') throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), 'ExchangeDeclare');
    const durable = options.durable === undefined ? true : !!options.durable;
    const autoDelete = !!options.autoDelete;
    const internal = !!options.internal;
    const raw: Record<string, unknown> = { ...(options.arguments ?? {}) };
    if (options.alternateExchange !== undefined) raw['alternate-exchange'] = options.alternateExchange;
    const existing = this.exchanges.get(name);
    if (existing) {
      const check = (arg: string, got: unknown, cur: unknown) => {
        if (!sameArg(got, cur)) throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inequivalent('exchange', name, arg, `'${String(got)}'`, `'${String(cur)}'`), 'ExchangeDeclare');
      };
      check('type', type, existing.type);
      check('durable', durable, existing.durable);
      check('auto_delete', autoDelete, existing.autoDelete);
      check('internal', internal, existing.internal);
      const ae = raw['alternate-exchange'];
      if (!sameArg(ae, existing.rawArgs['alternate-exchange']))
        throw new BrokerClose(
          ReplyCode.PRECONDITION_FAILED,
          brokerText.inequivalent('exchange', name, 'alternate-exchange', describeArg(ae), describeArg(existing.rawArgs['alternate-exchange'])),
          'ExchangeDeclare',
        );
      return { exchange: name };
    }
    if (name.startsWith('amq.')) throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.reservedExchange(name), 'ExchangeDeclare');
    this.exchanges.set(name, new ExchangeState(name, type as ExchangeType, durable, autoDelete, internal, raw));
    this.world.trace.record('mq.topology', { source: ch.service, target: name, action: 'exchange.declare', name, detail: { type, durable, autoDelete, internal } });
    return { exchange: name };
  }

  /** @internal exchange.declare passive */
  checkExchange(_ch: BrokerChannelState, name: string): Replies.Empty {
    if (name !== '' && !this.exchanges.has(name)) throw new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noExchange(name), 'ExchangeDeclare');
    return {};
  }

  /** @internal exchange.delete */
  deleteExchange(ch: BrokerChannelState, name: string, options: Options.DeleteExchange = {}): Replies.Empty {
    if (name === '' || name.startsWith('amq.')) throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), 'ExchangeDelete');
    const x = this.exchanges.get(name);
    if (!x) return {};
    if (options.ifUnused && x.bindings.size > 0)
      throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - exchange '${name}' in vhost '/' in use`, 'ExchangeDelete');
    this.deleteExchangeState(x);
    this.world.trace.record('mq.topology', { source: ch.service, target: name, action: 'exchange.delete', name });
    return {};
  }

  /** @internal queue.bind */
  bindQueue(ch: BrokerChannelState, queue: string, source: string, pattern: string | undefined, args?: Record<string, unknown>): Replies.Empty {
    if (source === '') throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), 'QueueBind');
    const x = this.mustExchange(source, 'QueueBind');
    const q = this.mustQueue(queue, 'QueueBind', ch);
    const key = pattern ?? '';
    this.addBinding(x, { kind: 'queue', queue: q }, key, args);
    this.world.trace.record('mq.topology', { source: ch.service, target: queue, action: 'queue.bind', name: queue, detail: { exchange: source, routingKey: key, ...(args ? { arguments: args } : {}) } });
    return {};
  }

  /** @internal queue.unbind */
  unbindQueue(ch: BrokerChannelState, queue: string, source: string, pattern: string | undefined, args?: Record<string, unknown>): Replies.Empty {
    if (source === '') throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), 'QueueUnbind');
    const x = this.mustExchange(source, 'QueueUnbind');
    const q = this.mustQueue(queue, 'QueueUnbind', ch);
    const key = pattern ?? '';
    const b = x.bindings.get(bindingKey({ kind: 'queue', queue: q }, key, args));
    if (b) this.removeBinding(b);
    this.world.trace.record('mq.topology', { source: ch.service, target: queue, action: 'queue.unbind', name: queue, detail: { exchange: source, routingKey: key } });
    return {};
  }

  /** @internal exchange.bind */
  bindExchange(ch: BrokerChannelState, destination: string, source: string, pattern: string | undefined, args?: Record<string, unknown>): Replies.Empty {
    if (source === '' || destination === '') throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), 'ExchangeBind');
    const src = this.mustExchange(source, 'ExchangeBind');
    const dst = this.mustExchange(destination, 'ExchangeBind');
    const key = pattern ?? '';
    this.addBinding(src, { kind: 'exchange', exchange: dst }, key, args);
    this.world.trace.record('mq.topology', { source: ch.service, target: destination, action: 'exchange.bind', name: destination, detail: { exchange: source, routingKey: key } });
    return {};
  }

  /** @internal exchange.unbind */
  unbindExchange(ch: BrokerChannelState, destination: string, source: string, pattern: string | undefined, args?: Record<string, unknown>): Replies.Empty {
    const src = this.mustExchange(source, 'ExchangeUnbind');
    const dst = this.mustExchange(destination, 'ExchangeUnbind');
    const b = src.bindings.get(bindingKey({ kind: 'exchange', exchange: dst }, pattern ?? '', args));
    if (b) this.removeBinding(b);
    this.world.trace.record('mq.topology', { source: ch.service, target: destination, action: 'exchange.unbind', name: destination, detail: { exchange: source, routingKey: pattern ?? '' } });
    return {};
  }

  /** @internal basic.qos */
  prefetch(ch: BrokerChannelState, count: number, global: boolean): Replies.Empty {
    if (global) ch.globalPrefetch = count;
    else ch.prefetch = count;
    if (global) this.deferred.push(() => this.dispatchChannel(ch));
    return {};
  }

  /** @internal confirm.select */
  confirmSelect(ch: BrokerChannelState): Replies.Empty {
    ch.confirm = true;
    return {};
  }

  /** @internal basic.recover: requeue every unacknowledged delivery of the channel */
  recover(ch: BrokerChannelState): Replies.Empty {
    this.deferred.push(() => this.requeueAll(ch, 'recover'));
    return {};
  }

  // ───────────────────────────── consumers ─────────────────────────────

  /** @internal basic.consume */
  consume(ch: BrokerChannelState, queue: string, options: Options.Consume = {}): Replies.Consume {
    const q = this.mustQueue(queue, 'BasicConsume', ch);
    if (q.consumers.some((c) => c.exclusive) || (options.exclusive && q.consumers.length > 0))
      throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.exclusiveConsumer(queue), 'BasicConsume');
    const tag = options.consumerTag || `amq.ctag-${base64url(this.nameRng, 22)}`;
    if (ch.consumers.has(tag)) throw new BrokerClose(ReplyCode.NOT_ALLOWED, brokerText.reuseTag(tag), 'BasicConsume', true);
    const c = new ConsumerState(tag, q, ch, !!options.noAck, ch.prefetch, !!options.exclusive);
    q.consumers.push(c);
    ch.consumers.set(tag, c);
    q.hadConsumer = true;
    this.touchUnused(q);
    this.world.trace.record('mq.consumer', {
      source: ch.service,
      target: queue,
      action: 'consume',
      queue,
      consumerTag: tag,
      ...(c.prefetch ? { prefetch: c.prefetch } : {}),
      ...(c.noAck ? { noAck: true } : {}),
    });
    this.touched(queue);
    this.deferred.push(() => this.dispatch(q));
    return { consumerTag: tag };
  }

  /** @internal basic.cancel */
  cancel(ch: BrokerChannelState, consumerTag: string): Replies.Consume {
    const c = ch.consumers.get(consumerTag);
    if (c) this.removeConsumer(c);
    return { consumerTag };
  }

  /** @internal basic.get */
  get(ch: BrokerChannelState, queue: string, noAck: boolean): GetResult | false {
    const q = this.mustQueue(queue, 'BasicGet', ch);
    this.touchUnused(q);
    const now = this.world.scheduler.now();
    let e = q.ready.peek();
    while (e !== undefined && e.expiresAt <= now) {
      q.ready.shift();
      this.expire(q, e);
      e = q.ready.peek();
    }
    if (e === undefined) {
      this.scheduleExpiry(q);
      return false;
    }
    q.ready.shift();
    const tag = ch.nextTag++;
    const redelivered = e.redelivered || e.duplicate;
    e.redelivered = true;
    const c = q.counters;
    c.delivered++;
    if (redelivered) c.redelivered++;
    this.world.trace.record('mq.deliver', {
      source: ch.service, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId,
      messageId: e.msg.id,
      queue: q.name,
      deliveryTag: tag,
      redelivered,
      get: true,
      ...(noAck ? { noAck: true } : {}),
    });
    if (noAck) {
      c.acked++;
      this.world.trace.record('mq.ack', { source: ch.service, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, queue: q.name, deliveryTag: tag, auto: true });
    } else {
      ch.unacked.set(tag, { tag, entry: e, queue: q, consumer: undefined });
      c.unacked++;
    }
    this.scheduleExpiry(q);
    this.touched(q.name);
    return { msg: e.msg, deliveryTag: tag, redelivered, messageCount: q.ready.length };
  }

  // ───────────────────────────── publishing ─────────────────────────────

  /** @internal basic.publish arrives at the broker */
  publish(ch: BrokerChannelState, p: PublishFrame): void {
    const props = p.properties;
    const source = ch.service;
    const target = p.exchange || p.routingKey;
    const cause = p.cause;
    const corr = props.correlationId;
    if (!ch.open || p.epoch !== ch.epoch) {
      this.world.trace.record('mq.drop', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, reason: ch.open ? 'connection-lost' : 'channel-closed', exchange: p.exchange });
      if (p.publishTag > 0 && ch.open) this.confirmTo(ch, p.publishTag, false, p.messageId, source, target, cause, corr);
      return;
    }
    const x = p.exchange === '' ? this.defaultExchange : this.exchanges.get(p.exchange);
    if (!x) {
      this.world.trace.record('mq.drop', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, reason: 'no-exchange', exchange: p.exchange });
      this.fail(ch, new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noExchange(p.exchange), 'BasicPublish'));
      return;
    }
    if (x.internal) {
      this.world.trace.record('mq.drop', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, reason: 'no-exchange', exchange: p.exchange });
      this.fail(ch, new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.internalExchange(p.exchange), 'BasicPublish'));
      return;
    }
    // Routing keys: the routing key plus CC and BCC headers; BCC is not delivered.
    let keys: string[] = [p.routingKey];
    const headers = props.headers;
    const cc = headers['CC'];
    const bcc = headers['BCC'];
    if (cc !== undefined || bcc !== undefined) {
      keys = [p.routingKey, ...toKeys(cc), ...toKeys(bcc)];
      if (bcc !== undefined) delete headers['BCC'];
    }
    const ttl = parseExpiration(props.expiration);
    if (props.expiration !== undefined && ttl === undefined) {
      this.world.trace.record('mq.drop', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, reason: 'channel-closed', exchange: p.exchange });
      this.fail(ch, new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - invalid expiration '${props.expiration}': no_integer`, 'BasicPublish'));
      return;
    }
    const msg = new StoredMessage(p.messageId, p.content, props, p.exchange, p.routingKey, bcc !== undefined ? [p.routingKey, ...toKeys(cc)] : keys, props.deliveryMode === 2, p.cause, ttl, ch.service);
    let targets: QueueState[];
    if (x === this.defaultExchange && keys.length === 1) {
      const q = this.queues.get(p.routingKey);
      targets = q ? [q] : [];
    } else targets = this.route(x, keys, headers);
    this.world.trace.record('mq.route', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, exchange: p.exchange, routingKey: p.routingKey, queues: targets.length === 1 ? (targets[0]!.alone as string[]) : targets.map((q) => q.name) });
    if (targets.length === 0) {
      if (p.mandatory) {
        this.world.trace.record('mq.return', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, exchange: p.exchange, routingKey: p.routingKey, replyCode: ReplyCode.NO_ROUTE, replyText: 'NO_ROUTE' });
        ch.link.toClient(() => ch.sink.returned(msg, ReplyCode.NO_ROUTE, 'NO_ROUTE'));
      } else {
        this.unroutableCount++;
        this.world.trace.record('mq.drop', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, reason: 'unroutable', exchange: p.exchange });
      }
      if (p.publishTag > 0) this.confirmTo(ch, p.publishTag, true, p.messageId, source, target, cause, corr);
      return;
    }
    let ok = true;
    for (const q of targets) if (!this.enqueue(q, msg, false)) ok = false;
    if (p.publishTag > 0) this.confirmTo(ch, p.publishTag, ok, p.messageId, source, target, cause, corr);
  }

  private confirmTo(ch: BrokerChannelState, tag: number, ack: boolean, messageId: string, source: string, target: string, cause: number, corr: string | undefined): void {
    this.world.trace.record('mq.confirm', { source, target, causationId: cause, correlationId: corr, messageId, ack, publishTag: tag });
    ch.link.toClient(() => ch.sink.confirmed(tag, ack));
  }

  /** The queues a message published to `x` with these routing keys goes to (each once). */
  private route(x: ExchangeState, keys: readonly string[], headers: Record<string, unknown>): QueueState[] {
    const out = new Set<QueueState>();
    this.routeInto(x, keys, headers, out, new Set());
    return [...out];
  }

  private routeInto(x: ExchangeState, keys: readonly string[], headers: Record<string, unknown>, out: Set<QueueState>, seen: Set<ExchangeState>): void {
    if (seen.has(x)) return;
    seen.add(x);
    const before = out.size;
    for (const key of keys) {
      for (const b of this.matching(x, key, headers)) {
        if (b.destination.kind === 'queue') out.add(b.destination.queue);
        else this.routeInto(b.destination.exchange, [key], headers, out, seen);
      }
    }
    if (out.size === before && x.alternate !== undefined) {
      const ae = this.exchanges.get(x.alternate);
      if (ae) this.routeInto(ae, keys, headers, out, seen);
    }
  }

  private matching(x: ExchangeState, key: string, headers: Record<string, unknown>): readonly Binding[] {
    if (x === this.defaultExchange) {
      const q = this.queues.get(key);
      return q ? [{ source: x, destination: { kind: 'queue', queue: q }, routingKey: key, args: undefined, key: '' }] : [];
    }
    switch (x.type) {
      case 'direct':
        return x.byKey.get(key) ?? [];
      case 'fanout':
        return [...x.bindings.values()];
      case 'headers':
        return [...x.bindings.values()].filter((b) => headersMatch(b.args, headers));
      case 'topic': {
        let hit = x.cache.get(key);
        if (hit === undefined) {
          hit = [...x.bindings.values()].filter((b) => topicMatches(b.routingKey, key));
          if (x.cache.size > 10_000) x.cache.clear();
          x.cache.set(key, hit);
        }
        return hit;
      }
    }
  }

  /**
   * Puts a copy of `msg` into `q` (faults, overflow, then delivery if a
   * consumer has room). Returns false when the queue refused or lost it.
   */
  private enqueue(q: QueueState, msg: StoredMessage, deadLettered: boolean): boolean {
    const c = q.counters;
    const faults = this.queueFaults(q.name);
    c.published++;
    if (faults?.dropRate && this.faultRng.chance(faults.dropRate)) {
      c.dropped++;
      this.world.trace.record('fault', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, queue: q.name, fault: 'drop', detail: `message lost before reaching queue '${q.name}' (dropRate)`, messageId: msg.id });
      this.world.trace.record('mq.drop', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, reason: 'fault', queue: q.name });
      this.touched(q.name);
      return false;
    }
    const args = q.args;
    const now = this.world.scheduler.now();
    if (args.maxLength !== undefined && args.overflow !== 'drop-head' && q.ready.length >= args.maxLength && !(q.ready.length === 0 && this.hasRoom(q))) {
      const e = new Entry(msg, q.nextPos++, now, Infinity, false);
      if (args.overflow === 'reject-publish-dlx') this.deadLetterOrDrop(q, e, 'maxlen', 'broker');
      else this.dropEntry(q, e, 'maxlen', 'broker');
      this.touched(q.name);
      return false;
    }
    let ttl = args.messageTtl;
    if (msg.ttl !== undefined && (ttl === undefined || msg.ttl < ttl)) ttl = msg.ttl;
    const entry = new Entry(msg, q.nextPos++, now, ttl === undefined ? Infinity : now + ttl, false);
    q.ready.push(entry);
    this.world.trace.record('mq.enqueue', {
      source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId,
      messageId: msg.id,
      queue: q.name,
      ready: q.ready.length,
      deadLettered: deadLettered ? true : undefined, // absent from the JSON when false
    });
    if (faults?.duplicateRate && this.faultRng.chance(faults.duplicateRate)) {
      c.published++;
      const dup = new Entry(msg, q.nextPos++, now, entry.expiresAt, true);
      q.ready.push(dup);
      this.world.trace.record('fault', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, queue: q.name, fault: 'duplicate', detail: `message will be delivered twice from '${q.name}' (duplicateRate)`, messageId: msg.id });
      this.world.trace.record('mq.enqueue', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, queue: q.name, ready: q.ready.length, duplicate: true });
    }
    this.dispatch(q, entry);
    if (args.maxLength !== undefined && args.overflow === 'drop-head') {
      while (q.ready.length > args.maxLength) this.deadLetterOrDrop(q, q.ready.shift()!, 'maxlen', 'broker');
      this.scheduleExpiry(q);
    }
    this.touched(q.name);
    return true;
  }

  // ───────────────────────────── delivery ─────────────────────────────

  private hasRoom(q: QueueState): boolean {
    for (const c of q.consumers) if (c.hasRoom()) return true;
    return false;
  }

  /**
   * Hands ready messages to consumers with room, round-robin, from the head;
   * expired messages at the head go first. `fresh` (just enqueued) may still
   * be delivered at the instant it expires (a TTL of 0 means "now or never").
   */
  private dispatch(q: QueueState, fresh?: Entry): void {
    if (q.dispatching || q.deleted) return;
    q.dispatching = true;
    try {
      const now = this.world.scheduler.now();
      const ready = q.ready;
      for (;;) {
        const e = ready.peek();
        if (e === undefined) break;
        if (e.expiresAt <= now && e !== fresh) {
          ready.shift();
          this.expire(q, e);
          continue;
        }
        const consumers = q.consumers;
        const n = consumers.length;
        if (n === 0) break;
        let chosen: ConsumerState | undefined;
        for (let i = 0; i < n; i++) {
          const idx = (q.rr + i) % n;
          const c = consumers[idx]!;
          if (c.hasRoom()) {
            chosen = c;
            q.rr = (idx + 1) % n;
            break;
          }
        }
        if (chosen === undefined) break;
        ready.shift();
        this.deliver(q, e, chosen);
      }
    } finally {
      q.dispatching = false;
    }
    this.scheduleExpiry(q);
    this.touched(q.name);
  }

  private deliver(q: QueueState, e: Entry, consumer: ConsumerState): void {
    const ch = consumer.channel;
    const tag = ch.nextTag++;
    const redelivered = e.redelivered || e.duplicate;
    e.redelivered = true;
    const c = q.counters;
    c.delivered++;
    if (redelivered) c.redelivered++;
    const msg = e.msg;
    const corr = msg.properties.correlationId;
    this.world.trace.record('mq.deliver', {
      source: ch.service,
      target: q.name,
      causationId: msg.cause,
      correlationId: corr,
      messageId: msg.id,
      queue: q.name,
      deliveryTag: tag,
      redelivered,
      consumerTag: consumer.tag,
      noAck: consumer.noAck ? true : undefined, // absent from the JSON when false
    });
    let crash = false;
    let delay = 0;
    const faults = this.queueFaults(q.name);
    if (consumer.noAck) {
      c.acked++;
      this.world.trace.record('mq.ack', { source: ch.service, target: q.name, causationId: msg.cause, correlationId: corr, messageId: msg.id, queue: q.name, deliveryTag: tag, auto: true });
    } else {
      const d: Delivery = { tag, entry: e, queue: q, consumer };
      ch.unacked.set(tag, d);
      consumer.unacked++;
      ch.consumerUnacked++;
      c.unacked++;
      if (faults?.crashBeforeAckRate && this.faultRng.chance(faults.crashBeforeAckRate)) crash = true;
    }
    if (faults?.delay) {
      delay = sampleLatency(faults.delay, this.faultRng);
      if (delay > 0) this.world.trace.record('fault', { source: ch.service, target: q.name, causationId: msg.cause, correlationId: corr, queue: q.name, fault: 'delay', detail: `delivery from '${q.name}' delayed by ${Math.round(delay)} ms`, messageId: msg.id });
    }
    const epoch = ch.epoch;
    const ctag = consumer.tag;
    const sink = ch.sink;
    const qname = q.name;
    ch.link.toClient(() => sink.deliverToConsumer(ctag, qname, msg, tag, redelivered, crash, epoch), delay);
  }

  private expire(q: QueueState, e: Entry): void {
    q.counters.expired++;
    this.world.trace.record('mq.expire', { source: 'broker', target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, queue: q.name });
    this.deadLetterOrDrop(q, e, 'expired', 'broker');
  }

  /** Keeps a timer at the expiry time of the head message. */
  private scheduleExpiry(q: QueueState): void {
    const head = q.ready.peek();
    const t = head === undefined || q.deleted ? Infinity : head.expiresAt;
    if (t === q.expiryAt) return;
    q.expiryTimer?.cancel();
    q.expiryTimer = undefined;
    q.expiryAt = t;
    if (t === Infinity) return;
    q.expiryTimer = this.world.scheduler.at(
      t,
      () => {
        q.expiryTimer = undefined;
        q.expiryAt = Infinity;
        this.dispatch(q);
      },
      { sync: true },
    );
  }

  // ───────────────────────────── acknowledgements ─────────────────────────────

  /** @internal basic.ack arrives */
  ack(ch: BrokerChannelState, epoch: number, tag: number, multiple: boolean): void {
    if (!ch.open) return;
    if (epoch !== ch.epoch) return this.lostAck(ch, tag, 'ack');
    const ds = this.collect(ch, tag, multiple, 'BasicAck');
    if (ds === undefined) return;
    for (const d of ds) {
      this.settle(ch, d);
      d.queue.counters.acked++;
      this.world.trace.record('mq.ack', { source: ch.service, target: d.queue.name, causationId: d.entry.msg.cause, correlationId: d.entry.msg.properties.correlationId, messageId: d.entry.msg.id, queue: d.queue.name, deliveryTag: d.tag });
      this.touched(d.queue.name);
    }
    this.dispatchAfter(ch, ds);
  }

  /** @internal basic.nack / basic.reject arrives */
  nack(ch: BrokerChannelState, epoch: number, tag: number, multiple: boolean, requeue: boolean, method: 'nack' | 'reject'): void {
    if (!ch.open) return;
    if (epoch !== ch.epoch) return this.lostAck(ch, tag, method);
    const ds = this.collect(ch, tag, multiple, method === 'nack' ? 'BasicNack' : 'BasicReject');
    if (ds === undefined) return;
    for (const d of ds) {
      this.settle(ch, d);
      const q = d.queue;
      this.world.trace.record('mq.nack', { source: ch.service, target: q.name, causationId: d.entry.msg.cause, correlationId: d.entry.msg.properties.correlationId, messageId: d.entry.msg.id, queue: q.name, deliveryTag: d.tag, requeue, method });
      if (requeue) this.requeueEntry(q, d.entry, method, ch.service);
      else this.deadLetterOrDrop(q, d.entry, 'rejected', ch.service);
      this.touched(q.name);
    }
    this.dispatchAfter(ch, ds);
  }

  private lostAck(ch: BrokerChannelState, tag: number, what: string): void {
    this.world.trace.record('fault', {
      source: ch.service,
      target: 'broker',
      fault: 'ack-lost',
      detail: `${what} of delivery ${tag} was sent before ${ch.service}'s connection dropped: the broker never got it`,
    });
  }

  /** The deliveries an ack/nack covers, or undefined after closing the channel for an unknown tag. */
  private collect(ch: BrokerChannelState, tag: number, multiple: boolean, method: 'BasicAck' | 'BasicNack' | 'BasicReject'): Delivery[] | undefined {
    const unacked = ch.unacked;
    if (tag === 0 && multiple) {
      const all = [...unacked.values()];
      unacked.clear();
      return all;
    }
    const one = unacked.get(tag);
    if (one === undefined) {
      this.fail(ch, new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.unknownTag(tag), method));
      return undefined;
    }
    if (!multiple) {
      unacked.delete(tag);
      return [one];
    }
    const out: Delivery[] = [];
    for (const [t, d] of unacked) {
      if (t > tag) break;
      out.push(d);
    }
    for (const d of out) unacked.delete(d.tag);
    return out;
  }

  /** Bookkeeping when a delivery stops being outstanding (already removed from `ch.unacked`). */
  private settle(ch: BrokerChannelState, d: Delivery): void {
    d.queue.counters.unacked--;
    if (d.consumer) {
      d.consumer.unacked--;
      ch.consumerUnacked--;
    }
  }

  private dispatchAfter(ch: BrokerChannelState, ds: readonly Delivery[]): void {
    if (ds.length === 1) {
      const q = ds[0]!.queue;
      this.dispatch(q);
      if (ch.globalPrefetch > 0) this.dispatchChannel(ch);
      return;
    }
    const qs = new Set<QueueState>();
    for (const d of ds) qs.add(d.queue);
    for (const q of qs) this.dispatch(q);
    if (ch.globalPrefetch > 0) this.dispatchChannel(ch);
  }

  private dispatchChannel(ch: BrokerChannelState): void {
    const qs = new Set<QueueState>();
    for (const c of ch.consumers.values()) qs.add(c.queue);
    for (const q of qs) this.dispatch(q);
  }

  private requeueEntry(q: QueueState, e: Entry, reason: MqRequeueReason, source: string): void {
    if (q.deleted) {
      this.dropEntry(q, e, 'deleted', source);
      return;
    }
    q.ready.insert(e);
    q.counters.requeued++;
    this.world.trace.record('mq.requeue', { source: source, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, queue: q.name, reason });
  }

  /** Requeues every outstanding delivery of a channel (close, crash, restart, recover). */
  private requeueAll(ch: BrokerChannelState, reason: MqRequeueReason, dispatch = true): void {
    if (ch.unacked.size === 0) return;
    const ds = [...ch.unacked.values()];
    ch.unacked.clear();
    for (const d of ds) {
      this.settle(ch, d);
      this.requeueEntry(d.queue, d.entry, reason, ch.service);
      this.touched(d.queue.name);
    }
    if (dispatch) this.dispatchAfter(ch, ds);
  }

  // ───────────────────────────── dead-lettering ─────────────────────────────

  private dropEntry(q: QueueState, e: Entry, reason: MqDropReason, source: string): void {
    q.counters.dropped++;
    this.world.trace.record('mq.drop', { source: source, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, reason, queue: q.name });
    this.touched(q.name);
  }

  /**
   * Sends a message that left `q` (rejected, expired, overflowed) to the
   * queue's dead-letter exchange with `x-death` headers as RabbitMQ 3.10
   * writes them, or drops it (traced) when the queue has none.
   */
  private deadLetterOrDrop(q: QueueState, e: Entry, reason: DeadLetterReason, source: string): void {
    const dlx = q.args.deadLetterExchange;
    if (dlx === undefined) {
      this.dropEntry(q, e, reason, source);
      return;
    }
    q.counters.deadLettered++;
    this.touched(q.name);
    const old = e.msg;
    const props = old.properties;
    const headers: Record<string, unknown> = { ...props.headers };
    const deaths: XDeath[] = Array.isArray(headers['x-death']) ? (headers['x-death'] as XDeath[]).map((d) => ({ ...d })) : [];
    const i = deaths.findIndex((d) => d.queue === q.name && d.reason === reason);
    if (i >= 0) {
      const [d] = deaths.splice(i, 1);
      deaths.unshift({ ...d!, count: d!.count + 1 });
    } else {
      const seconds = Math.floor(((this.world.epoch ?? DEFAULT_EPOCH) + this.world.scheduler.now()) / 1000);
      const entry: XDeath = {
        count: 1,
        exchange: old.exchange,
        ...(props.expiration !== undefined ? { 'original-expiration': props.expiration } : {}),
        queue: q.name,
        reason,
        'routing-keys': [...old.routingKeys],
        time: { '!': 'timestamp', value: seconds },
      };
      deaths.unshift(entry);
    }
    headers['x-death'] = deaths;
    if (headers['x-first-death-reason'] === undefined) {
      headers['x-first-death-exchange'] = old.exchange;
      headers['x-first-death-queue'] = q.name;
      headers['x-first-death-reason'] = reason;
    }
    const dlrk = q.args.deadLetterRoutingKey;
    const keys = dlrk !== undefined ? [dlrk] : [...old.routingKeys];
    if (dlrk !== undefined) {
      delete headers['CC'];
      delete headers['BCC'];
    }
    const newProps: MessageProperties = { ...props, headers, expiration: undefined };
    const ev = this.world.trace.record('mq.dead-letter', {
      source: source, target: q.name, causationId: old.cause, correlationId: old.properties.correlationId,
      messageId: old.id,
      queue: q.name,
      reason,
      exchange: dlx,
      routingKeys: keys,
    });
    const msg = new StoredMessage(old.id, old.content, newProps, dlx, keys[0]!, keys, old.persistent, ev.seq, undefined, 'broker');
    const x = dlx === '' ? this.defaultExchange : this.exchanges.get(dlx);
    let targets = x ? this.route(x, keys, headers) : [];
    if (reason !== 'rejected' && targets.length > 0) {
      const kept: QueueState[] = [];
      for (const t of targets) {
        if (isCycle(t.name, deaths)) {
          this.world.trace.record('mq.drop', { source: 'broker', target: dlx || t.name, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, reason: 'cycle', exchange: dlx });
        } else kept.push(t);
      }
      if (kept.length === 0) return;
      targets = kept;
    }
    if (targets.length === 0) {
      this.world.trace.record('mq.drop', { source: 'broker', target: dlx || keys[0]!, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, reason: 'dead-letter-unroutable', exchange: dlx });
      return;
    }
    for (const t of targets) this.enqueue(t, msg, true);
  }

  // ───────────────────────────── lifecycle helpers ─────────────────────────────

  private closeChannelState(ch: BrokerChannelState, reason: MqRequeueReason, close: BrokerClose | undefined): void {
    if (!ch.open) return;
    ch.open = false;
    for (const c of [...ch.consumers.values()]) this.removeConsumer(c);
    this.requeueAll(ch, reason);
    this.connectionRecords.get(ch.connectionId)?.channels.delete(ch.id);
    this.world.trace.record('mq.channel', {
      source: ch.service,
      target: 'broker',
      action: close ? 'error' : 'close',
      channel: ch.label,
      ...(close ? { error: close.text } : {}),
    });
  }

  private removeConsumer(c: ConsumerState): void {
    const q = c.queue;
    const i = q.consumers.indexOf(c);
    if (i >= 0) {
      q.consumers.splice(i, 1);
      if (q.rr > i) q.rr--;
      if (q.rr >= q.consumers.length) q.rr = 0;
    }
    c.channel.consumers.delete(c.tag);
    this.world.trace.record('mq.consumer', { source: c.channel.service, target: q.name, action: 'cancel', queue: q.name, consumerTag: c.tag });
    this.touched(q.name);
    if (q.consumers.length === 0 && !q.deleted) {
      if (q.autoDelete && q.hadConsumer) this.deleteQueueState(q, 'deleted', c.channel.service);
      else this.touchUnused(q);
    }
  }

  private deleteQueueState(q: QueueState, reason: 'deleted' | 'restart', source: string): void {
    if (q.deleted) return;
    for (const e of q.ready.drain()) this.dropEntry(q, e, reason, source);
    q.deleted = true;
    this.queues.delete(q.name);
    q.expiryTimer?.cancel();
    q.unusedTimer?.cancel();
    for (const c of [...q.consumers]) {
      q.consumers.splice(q.consumers.indexOf(c), 1);
      c.channel.consumers.delete(c.tag);
      this.world.trace.record('mq.consumer', { source: c.channel.service, target: q.name, action: 'cancel', queue: q.name, consumerTag: c.tag });
      const sink = c.channel.sink;
      if (c.channel.open) c.channel.link.toClient(() => sink.consumerCancelled(c.tag));
    }
    for (const b of [...q.bindings]) this.removeBinding(b);
    this.world.trace.record('mq.topology', { source, target: q.name, action: 'queue.delete', name: q.name, ...(reason === 'restart' ? { detail: { reason } } : {}) });
    this.touched(q.name);
  }

  private deleteExchangeState(x: ExchangeState): void {
    for (const b of [...x.bindings.values()]) this.removeBinding(b, false);
    for (const b of [...x.incoming]) this.removeBinding(b, false);
    this.exchanges.delete(x.name);
  }

  private addBinding(x: ExchangeState, destination: Binding['destination'], routingKey: string, args: Record<string, unknown> | undefined): void {
    const key = bindingKey(destination, routingKey, args);
    if (x.bindings.has(key)) return;
    const b: Binding = { source: x, destination, routingKey, args, key };
    x.bindings.set(key, b);
    let list = x.byKey.get(routingKey);
    if (!list) x.byKey.set(routingKey, (list = []));
    list.push(b);
    x.cache.clear();
    if (destination.kind === 'queue') destination.queue.bindings.add(b);
    else destination.exchange.incoming.add(b);
  }

  private removeBinding(b: Binding, autoDelete = true): void {
    const x = b.source;
    if (!x.bindings.delete(b.key)) return;
    const list = x.byKey.get(b.routingKey);
    if (list) {
      list.splice(list.indexOf(b), 1);
      if (list.length === 0) x.byKey.delete(b.routingKey);
    }
    x.cache.clear();
    if (b.destination.kind === 'queue') b.destination.queue.bindings.delete(b);
    else b.destination.exchange.incoming.delete(b);
    if (autoDelete && x.autoDelete && x.bindings.size === 0) this.deleteExchangeState(x);
  }

  /** Starts or restarts the `x-expires` timer of an unused queue. */
  private touchUnused(q: QueueState): void {
    const ms = q.args.expires;
    if (ms === undefined || q.deleted) return;
    q.unusedTimer?.cancel();
    q.unusedTimer = undefined;
    if (q.consumers.length > 0) return;
    q.unusedTimer = this.world.scheduler.after(
      ms,
      () => {
        if (q.consumers.length === 0) this.deleteQueueState(q, 'deleted', 'broker');
      },
      { sync: true },
    );
  }

  private mustQueue(name: string, method: 'QueueDeclare' | 'QueueBind' | 'QueueUnbind' | 'QueuePurge' | 'BasicConsume' | 'BasicGet', ch: BrokerChannelState): QueueState {
    const q = this.queues.get(name);
    if (!q) throw new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noQueue(String(name)), method);
    this.checkExclusive(q, ch, method);
    return q;
  }

  private checkExclusive(q: QueueState, ch: BrokerChannelState, method: BrokerClose['method']): void {
    if (q.exclusiveOwner !== undefined && q.exclusiveOwner !== ch.connectionId) throw new BrokerClose(ReplyCode.RESOURCE_LOCKED, brokerText.locked(q.name), method);
  }

  private mustExchange(name: string, method: BrokerClose['method']): ExchangeState {
    const x = this.exchanges.get(name);
    if (!x) throw new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noExchange(String(name)), method);
    return x;
  }

  private countersFor(name: string): QueueCounters {
    let c = this.counterRecords.get(name);
    if (!c) this.counterRecords.set(name, (c = emptyCounters()));
    return c;
  }

  private queueFaults(name: string): QueueFaults | undefined {
    const qs = this.world.faults.queues;
    return qs === undefined ? undefined : qs[name];
  }

  private totalDropped(): number {
    let n = 0;
    for (const c of this.counterRecords.values()) n += c.dropped;
    return n;
  }

  // ───────────────────────────── statistics ─────────────────────────────

  private allStats(): Record<string, QueueStats> {
    const out: Record<string, QueueStats> = {};
    for (const s of this.snapshot().queues) out[s.name] = s;
    return out;
  }

  private touched(name: string): void {
    if (this.watchers === 0) return;
    this.dirty.add(name);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.world.scheduler.after(0, () => this.flushStats());
  }

  private flushStats(): void {
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

function emptyCounters(): QueueCounters {
  return { published: 0, delivered: 0, redelivered: 0, acked: 0, requeued: 0, deadLettered: 0, dropped: 0, expired: 0, unacked: 0 };
}

function toKeys(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function bindingKey(destination: Binding['destination'], routingKey: string, args: Record<string, unknown> | undefined): string {
  const d = destination.kind === 'queue' ? `q:${destination.queue.name}` : `x:${destination.exchange.name}`;
  return `${d}\u0000${routingKey}\u0000${args ? JSON.stringify(args) : ''}`;
}

/** Per-message TTL from the `expiration` property (a string of ms); invalid values are ignored. */
function parseExpiration(exp: string | undefined): number | undefined {
  if (exp === undefined) return undefined;
  const n = Number(exp);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** RabbitMQ's rule: a dead-letter cycle is dropped unless a rejection happened along it. */
function isCycle(queue: string, deaths: readonly XDeath[]): boolean {
  const i = deaths.findIndex((d) => d.queue === queue);
  if (i < 0) return false;
  for (let j = 0; j <= i; j++) if (deaths[j]!.reason === 'rejected') return false;
  return true;
}

/** Reads the queue arguments from amqplib-style options (named options override `arguments`). */
function queueArguments(queue: string, options: Options.AssertQueue): { raw: Record<string, unknown>; args: QueueArgs } {
  const raw: Record<string, unknown> = { ...(options.arguments ?? {}) };
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== null) raw[k] = v;
  };
  set('x-expires', options.expires);
  set('x-message-ttl', options.messageTtl);
  set('x-dead-letter-exchange', options.deadLetterExchange);
  set('x-dead-letter-routing-key', options.deadLetterRoutingKey);
  set('x-max-length', options.maxLength);
  set('x-max-priority', options.maxPriority);
  const bad = (arg: string, detail: string) =>
    new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - invalid arg '${arg}' for queue '${queue}' in vhost '/': ${detail}`, 'QueueDeclare');
  const int = (arg: string, min: number): number | undefined => {
    const v = raw[arg];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(arg, `{unacceptable_type,${amqpType(v)}}`);
    if (v < min) throw bad(arg, min === 0 ? `{value_negative,${v}}` : `{value_zero,${v}}`);
    return v;
  };
  const args: QueueArgs = { overflow: 'drop-head' };
  const ttl = int('x-message-ttl', 0);
  if (ttl !== undefined) args.messageTtl = ttl;
  const expires = int('x-expires', 1);
  if (expires !== undefined) args.expires = expires;
  const maxLength = int('x-max-length', 0);
  if (maxLength !== undefined) args.maxLength = maxLength;
  const dlx = raw['x-dead-letter-exchange'];
  if (dlx !== undefined) {
    if (typeof dlx !== 'string') throw bad('x-dead-letter-exchange', `{unacceptable_type,${amqpType(dlx)}}`);
    args.deadLetterExchange = dlx;
  }
  const dlrk = raw['x-dead-letter-routing-key'];
  if (dlrk !== undefined) {
    if (typeof dlrk !== 'string') throw bad('x-dead-letter-routing-key', `{unacceptable_type,${amqpType(dlrk)}}`);
    if (dlx === undefined) throw bad('x-dead-letter-routing-key', 'routing_key_but_no_dlx_defined');
    args.deadLetterRoutingKey = dlrk;
  }
  const overflow = raw['x-overflow'];
  if (overflow !== undefined) {
    if (overflow !== 'drop-head' && overflow !== 'reject-publish' && overflow !== 'reject-publish-dlx') throw bad('x-overflow', `{unknown_overflow_value,${String(overflow)}}`);
    args.overflow = overflow;
  }
  return { raw, args };
}

/** The service named by a connect target: a plain name, or the user of an amqp URL (`amqp://orders@host`). */
export function serviceFromTarget(target: string): string {
  if (typeof target !== 'string' || target === '') return 'client';
  const m = /^amqps?:\/\/(?:([^:@/]+)(?::[^@/]*)?@)?/i.exec(target);
  if (m) return m[1] ? decodeURIComponent(m[1]) : 'client';
  return target;
}

/** Shortens content for the trace: UTF-8, at most 200 characters. */
export function bodyPreview(content: Uint8Array): string {
  const s = decodeUtf8(content.length > 800 ? content.subarray(0, 800) : content);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/**
 * {@link bodyPreview} of content published as text, without decoding its bytes again. Gives the
 * same preview: text that a UTF-8 round trip would change (a leading byte-order mark, surrogates)
 * takes the bytes path.
 */
export function textPreview(text: string, bytes: Uint8Array): string {
  const head = text.length > 201 ? text.slice(0, 201) : text;
  if (head.charCodeAt(0) === 0xfeff || SURROGATE.test(head)) return bodyPreview(bytes);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

const SURROGATE = /[\uD800-\uDFFF]/;
