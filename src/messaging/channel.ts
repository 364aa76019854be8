import { AmqpError, BrokerClose, IllegalOperationError, type MethodName } from './amqp-errors.js';
import type { ConsumeMessage, GetMessage, Message, MessageProperties, Options, Replies } from './amqp-types.js';
import type { Broker, GetResult } from './broker.js';
import { bodyPreview, textPreview } from './broker.js';
import type { BrokerChannelState, ChannelSink, StoredMessage } from './broker-state.js';
import { Bytes, contentBytes, describeValue } from './bytes.js';
import type { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import type { Link } from './link.js';

/** A message the broker returned because no queue took it (`mandatory`). */
export interface ReturnedMessage {
  content: Bytes;
  fields: { replyCode: number; replyText: string; exchange: string; routingKey: string };
  properties: MessageProperties;
}

/** Called once per delivery; `null` when the broker cancels the consumer (its queue was deleted). */
export type OnMessage = (msg: ConsumeMessage | null) => unknown;

/** A publisher-confirm callback: `null` when the broker took the message, an error when it refused it. */
export type ConfirmCallback = (err: Error | null, ok?: unknown) => void;

interface RpcCall {
  method: MethodName;
  run: () => unknown;
  onReply?: (result: unknown) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Unconfirmed {
  cb: ConfirmCallback | undefined;
  waiters: Array<(err: Error | null) => void>;
}

type ChannelState = 'open' | 'closing' | 'closed';

function cloneValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneValue);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = cloneValue((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** A copy of message properties for one delivery (headers deep-copied, so a consumer cannot change the broker's copy). */
function deliveredProperties(p: MessageProperties): MessageProperties {
  const h = p.headers;
  let headers: Record<string, unknown> = {};
  for (const _ in h) {
    headers = cloneValue(h) as Record<string, unknown>;
    break;
  }
  return {
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    headers,
    deliveryMode: p.deliveryMode,
    priority: p.priority,
    correlationId: p.correlationId,
    replyTo: p.replyTo,
    expiration: p.expiration,
    messageId: p.messageId,
    timestamp: p.timestamp,
    type: p.type,
    userId: p.userId,
    appId: p.appId,
    clusterId: undefined,
  };
}

function toCc(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** Message properties from publish options, exactly as amqplib builds them. */
export function publishProperties(options: Options.Publish | undefined): MessageProperties {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError(`publish: options must be an object (got ${describeValue(o)})`);
  const headers: Record<string, unknown> = o.headers ? { ...o.headers } : {};
  const cc = toCc(o.CC);
  const bcc = toCc(o.BCC);
  if (cc) headers['CC'] = cc;
  if (bcc) headers['BCC'] = bcc;
  let deliveryMode: number | undefined;
  if (o.persistent !== undefined) deliveryMode = o.persistent ? 2 : 1;
  else if (typeof o.deliveryMode === 'number') deliveryMode = o.deliveryMode;
  else if (o.deliveryMode) deliveryMode = 2;
  return {
    contentType: o.contentType,
    contentEncoding: o.contentEncoding,
    headers,
    deliveryMode,
    priority: o.priority,
    correlationId: o.correlationId,
    replyTo: o.replyTo,
    expiration: o.expiration === undefined ? undefined : String(o.expiration),
    messageId: o.messageId,
    timestamp: o.timestamp,
    type: o.type,
    userId: o.userId,
    appId: o.appId,
    clusterId: undefined,
  };
}

/**
 * A channel, shaped like amqplib's promise-API `Channel`: declare queues and
 * exchanges, publish, consume, acknowledge. Methods that wait for the broker
 * return promises that settle after a round trip of virtual time;
 * `publish`, `sendToQueue`, `ack`, `nack`, `reject` are fire-and-forget, as in
 * amqplib — an error they cause (an unknown delivery tag, a missing exchange)
 * arrives later as an `'error'` event and closes the channel.
 *
 * Events: `'error'` (the broker closed the channel; with no listener the
 * error goes to the connection, and with none there either the owning service
 * "crashes": an `error` trace event), `'close'`, `'return'` (an unroutable
 * `mandatory` message), and on confirm channels `'ack'` / `'nack'`.
 *
 * @example
 * const ch = await conn.createChannel();
 * await ch.assertQueue('tasks', { durable: true });
 * await ch.prefetch(1);
 * await ch.consume('tasks', async (msg) => {
 *   if (!msg) return;
 *   await handle(JSON.parse(msg.content.toString()));
 *   ch.ack(msg);
 * });
 */
export class Channel extends Emitter implements ChannelSink {
  /** @internal the broker's side of this channel (set when the open frame arrives) */
  bch!: BrokerChannelState;
  private state: ChannelState = 'open';
  /** Incarnation: bumped when the owning process crashes or the broker restarts. */
  private epoch = 0;
  private readonly consumers = new Map<string, OnMessage>();
  private inflight: RpcCall | undefined;
  private rpcQueue: RpcCall[] = [];
  /** Highest delivery tag handed to user code so far. */
  private maxTagSeen = 0;
  /** Deliveries up to this tag belong to an earlier incarnation: their acks are lost with it. */
  private staleUpTo = 0;
  /** Delivery tags marked by a crash-before-ack fault → message id. */
  private readonly doomed = new Map<number, { messageId: string; queue: string; swallowed: boolean }>();
  /** @internal publish counter on confirm channels */
  protected publishTag = 0;
  /** @internal outstanding publisher confirms */
  protected readonly unconfirmed = new Map<number, Unconfirmed>();
  /** @internal */
  protected confirmMode = false;

  /** @internal use `connection.createChannel()` */
  constructor(
    /** The connection this channel belongs to. */
    readonly connection: Connection,
    /** @internal */
    readonly broker: Broker,
    /** @internal */
    readonly link: Link,
  ) {
    super();
  }

  /** Service that owns this channel (the source of its trace events). */
  get service(): string {
    return this.connection.service;
  }

  // ───────────────────────────── declarations ─────────────────────────────

  /**
   * Declares a queue (creates it, or checks an existing one has the same
   * properties: otherwise the channel closes with 406 PRECONDITION_FAILED).
   * An empty name gets a generated `amq.gen-…` name. `durable` defaults to true.
   *
   * @example
   * const { queue } = await ch.assertQueue('', { exclusive: true }); // server-named
   * await ch.assertQueue('work', { deadLetterExchange: 'dlx', messageTtl: 60_000 });
   */
  assertQueue(queue?: string, options?: Options.AssertQueue): Promise<Replies.AssertQueue> {
    return this.rpc('QueueDeclare', () => this.broker.assertQueue(this.bch, queue ?? '', options ?? {}));
  }

  /** Checks that a queue exists (404 NOT_FOUND closes the channel otherwise). */
  checkQueue(queue: string): Promise<Replies.AssertQueue> {
    return this.rpc('QueueDeclare', () => this.broker.checkQueue(this.bch, queue));
  }

  /** Deletes a queue and its messages (each a traced drop); resolves with how many ready messages it held. */
  deleteQueue(queue: string, options?: Options.DeleteQueue): Promise<Replies.DeleteQueue> {
    return this.rpc('QueueDelete', () => this.broker.deleteQueue(this.bch, queue, options ?? {}));
  }

  /** Removes every ready message of a queue (each a traced drop). */
  purgeQueue(queue: string): Promise<Replies.PurgeQueue> {
    return this.rpc('QueuePurge', () => this.broker.purgeQueue(this.bch, queue));
  }

  /** Routes messages from exchange `source` whose key matches `pattern` to `queue`. */
  bindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Replies.Empty> {
    return this.rpc('QueueBind', () => this.broker.bindQueue(this.bch, queue, source, pattern, args));
  }

  /** Removes a binding made by {@link bindQueue}. */
  unbindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Replies.Empty> {
    return this.rpc('QueueUnbind', () => this.broker.unbindQueue(this.bch, queue, source, pattern, args));
  }

  /**
   * Declares an exchange of type `direct`, `fanout`, `topic` or `headers`.
   * An unknown type makes the broker close the connection (503 COMMAND_INVALID).
   */
  assertExchange(exchange: string, type: 'direct' | 'fanout' | 'topic' | 'headers' | (string & {}), options?: Options.AssertExchange): Promise<Replies.AssertExchange> {
    return this.rpc('ExchangeDeclare', () => this.broker.assertExchange(this.bch, exchange, type, options ?? {}));
  }

  /** Checks that an exchange exists (404 NOT_FOUND closes the channel otherwise). */
  checkExchange(exchange: string): Promise<Replies.Empty> {
    return this.rpc('ExchangeDeclare', () => this.broker.checkExchange(this.bch, exchange));
  }

  /** Deletes an exchange and its bindings. */
  deleteExchange(exchange: string, options?: Options.DeleteExchange): Promise<Replies.Empty> {
    return this.rpc('ExchangeDelete', () => this.broker.deleteExchange(this.bch, exchange, options ?? {}));
  }

  /** Routes messages from exchange `source` to exchange `destination`. */
  bindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Replies.Empty> {
    return this.rpc('ExchangeBind', () => this.broker.bindExchange(this.bch, destination, source, pattern, args));
  }

  /** Removes a binding made by {@link bindExchange}. */
  unbindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Replies.Empty> {
    return this.rpc('ExchangeUnbind', () => this.broker.unbindExchange(this.bch, destination, source, pattern, args));
  }

  // ───────────────────────────── publishing ─────────────────────────────

  /**
   * Publishes a message to an exchange (`''` is the default exchange, which
   * routes by queue name). Returns true (the simulated write buffer never
   * fills). Content must be bytes (`Buffer.from(...)`) or a string.
   *
   * @example
   * ch.publish('events', 'order.created', Buffer.from(JSON.stringify(order)), { persistent: true, messageId: order.id });
   */
  publish(exchange: string, routingKey: string, content: Uint8Array | string, options?: Options.Publish): boolean {
    return this.sendMessage(exchange, routingKey, content, options, undefined);
  }

  /** Publishes straight to a queue through the default exchange. */
  sendToQueue(queue: string, content: Uint8Array | string, options?: Options.Publish): boolean {
    return this.publish('', queue, content, options);
  }

  /** @internal */
  protected sendMessage(exchange: string, routingKey: string, content: unknown, options: Options.Publish | undefined, cb: ConfirmCallback | undefined): boolean {
    this.assertUsable();
    if (typeof exchange !== 'string') throw new TypeError(`publish: the exchange name must be a string ('' for the default exchange), got ${describeValue(exchange)}`);
    if (typeof routingKey !== 'string') throw new TypeError(`publish: the routing key must be a string, got ${describeValue(routingKey)}`);
    const bytes = contentBytes(content, () => (exchange === '' ? `sendToQueue('${routingKey}')` : `publish('${exchange}')`));
    const properties = publishProperties(options);
    const trace = this.broker.world.trace;
    const messageId = properties.messageId ?? trace.nextId('msg');
    const persistent = properties.deliveryMode === 2;
    const mandatory = !!options?.mandatory;
    const corr = properties.correlationId;
    const ev = trace.record('mq.publish', {
      source: this.service,
      target: exchange === '' ? routingKey : exchange,
      correlationId: corr, // undefined values are absent from the JSON
      messageId,
      exchange,
      routingKey,
      channel: this.bch.label,
      persistent,
      size: bytes.length,
      body: typeof content === 'string' ? textPreview(content, bytes) : bodyPreview(bytes),
      mandatory: mandatory ? true : undefined,
    });
    let publishTag = 0;
    if (this.confirmMode) {
      publishTag = ++this.publishTag;
      this.unconfirmed.set(publishTag, { cb, waiters: [] });
    }
    const frame = { exchange, routingKey, content: bytes, properties, mandatory, messageId, cause: ev.seq, publishTag, epoch: this.epoch };
    this.link.toBroker(() => this.broker.publish(this.bch, frame));
    return true;
  }

  // ───────────────────────────── consuming ─────────────────────────────

  /**
   * Starts a consumer: `onMessage` is called for each delivery (and with
   * `null` if the broker cancels the consumer). Acknowledgement is manual
   * unless `{ noAck: true }`; call {@link ack} (or {@link nack} /
   * {@link reject}) for each message. Resolves with `{ consumerTag }`.
   */
  consume(queue: string, onMessage: OnMessage, options?: Options.Consume): Promise<Replies.Consume> {
    if (typeof onMessage !== 'function') return Promise.reject(new TypeError(`consume('${queue}'): the second argument must be a function (msg) => …, got ${describeValue(onMessage)}`));
    return this.rpc(
      'BasicConsume',
      () => this.broker.consume(this.bch, queue, options ?? {}),
      (reply) => {
        this.consumers.set((reply as Replies.Consume).consumerTag, onMessage);
        return reply;
      },
    );
  }

  /** Stops a consumer; its unacknowledged messages stay with this channel until acked or the channel closes. */
  cancel(consumerTag: string): Promise<Replies.Consume> {
    return this.rpc(
      'BasicCancel',
      () => this.broker.cancel(this.bch, consumerTag),
      (reply) => {
        this.consumers.delete(consumerTag);
        return reply;
      },
    );
  }

  /** Fetches one message, or `false` when the queue has none ready. */
  get(queue: string, options?: Options.Get): Promise<GetMessage | false> {
    const noAck = !!options?.noAck;
    return this.rpc<GetMessage | false>(
      'BasicGet',
      () => this.broker.get(this.bch, queue, noAck) as unknown as GetMessage | false,
      (r) => {
        if (r === false) return false;
        const g = r as GetResult;
        const m: GetMessage = {
          content: Bytes.copyOf(g.msg.content),
          fields: { deliveryTag: g.deliveryTag, redelivered: g.redelivered, exchange: g.msg.exchange, routingKey: g.msg.routingKey, messageCount: g.messageCount },
          properties: deliveredProperties(g.msg.properties),
        };
        if (g.deliveryTag > this.maxTagSeen) this.maxTagSeen = g.deliveryTag;
        return m;
      },
    );
  }

  /**
   * Limits unacknowledged deliveries per consumer started after this call
   * (0: no limit), or, with `global`, for the whole channel.
   */
  prefetch(count: number, global = false): Promise<Replies.Empty> {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 65535)
      return Promise.reject(new TypeError(`prefetch: count must be an integer from 0 (no limit) to 65535, got ${describeValue(count)}`));
    return this.rpc('BasicQos', () => this.broker.prefetch(this.bch, count, !!global));
  }

  /** Same as {@link prefetch}. */
  qos(count: number, global = false): Promise<Replies.Empty> {
    return this.prefetch(count, global);
  }

  /** Asks the broker to requeue every unacknowledged message of this channel. */
  recover(): Promise<Replies.Empty> {
    return this.rpc('BasicRecover', () => this.broker.recover(this.bch));
  }

  // ───────────────────────────── acknowledgements ─────────────────────────────

  /**
   * Acknowledges a message (and, with `allUpTo`, every earlier one on this
   * channel). Acknowledging the same message twice, or one from another
   * channel, makes the broker close the channel: 406 PRECONDITION_FAILED -
   * unknown delivery tag.
   */
  ack(message: Message, allUpTo = false): void {
    const tag = this.tagOf(message, 'ack');
    if (this.swallowed(message, tag, !!allUpTo, 'ack')) return;
    const epoch = this.epoch;
    const multiple = !!allUpTo;
    this.link.toBroker(() => this.broker.ack(this.bch, epoch, tag, multiple));
  }

  /** Acknowledges every outstanding message of this channel. */
  ackAll(): void {
    this.assertUsable();
    if (this.swallowed(undefined, 0, true, 'ackAll')) return;
    const epoch = this.epoch;
    this.link.toBroker(() => this.broker.ack(this.bch, epoch, 0, true));
  }

  /**
   * Rejects a message (with `allUpTo`, every earlier one too). `requeue`
   * defaults to true, as in amqplib: the message goes back near the head of its
   * queue and is redelivered. With `requeue = false` it is dead-lettered, or
   * dropped (a traced `mq.drop`) when the queue has no dead-letter exchange.
   */
  nack(message: Message, allUpTo = false, requeue = true): void {
    const tag = this.tagOf(message, 'nack');
    if (this.swallowed(message, tag, !!allUpTo, 'nack')) return;
    const epoch = this.epoch;
    const multiple = !!allUpTo;
    const rq = requeue !== false;
    this.link.toBroker(() => this.broker.nack(this.bch, epoch, tag, multiple, rq, 'nack'));
  }

  /** Nacks every outstanding message of this channel (`requeue` defaults to true). */
  nackAll(requeue = true): void {
    this.assertUsable();
    if (this.swallowed(undefined, 0, true, 'nackAll')) return;
    const epoch = this.epoch;
    const rq = requeue !== false;
    this.link.toBroker(() => this.broker.nack(this.bch, epoch, 0, true, rq, 'nack'));
  }

  /** Rejects one message; `requeue` defaults to true (see {@link nack}). */
  reject(message: Message, requeue = true): void {
    const tag = this.tagOf(message, 'reject');
    if (this.swallowed(message, tag, false, 'reject')) return;
    const epoch = this.epoch;
    const rq = requeue !== false;
    this.link.toBroker(() => this.broker.nack(this.bch, epoch, tag, false, rq, 'reject'));
  }

  private tagOf(message: Message, what: string): number {
    this.assertUsable();
    const tag = (message as Partial<Message> | null | undefined)?.fields?.deliveryTag;
    if (typeof tag !== 'number') throw new TypeError(`${what}: expected a message received on this channel (with fields.deliveryTag), got ${describeValue(message)}`);
    return tag;
  }

  /**
   * True when an ack/nack must not reach the broker: it answers a delivery of
   * an earlier incarnation (the process crashed since), or a delivery whose
   * handler is about to crash (crash-before-ack fault).
   */
  private swallowed(message: Message | undefined, tag: number, multiple: boolean, what: string): boolean {
    if (message !== undefined && tag <= this.staleUpTo) {
      this.broker.world.trace.record('fault', {
        source: this.service,
        target: 'broker',
        fault: 'ack-lost',
        detail: `${what} of delivery ${tag} lost: the process that received it crashed before acknowledging; the message was requeued`,
      });
      return true;
    }
    if (this.doomed.size === 0) return false;
    let hit = false;
    for (const [t, d] of this.doomed) {
      if (t === tag || (multiple && (tag === 0 || t <= tag))) {
        d.swallowed = true;
        hit = true;
      }
    }
    return hit;
  }

  // ───────────────────────────── closing ─────────────────────────────

  /** Closes the channel; the broker requeues its unacknowledged messages. */
  close(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new IllegalOperationError(this.state === 'closed' ? 'Channel closed' : 'Channel closing'));
    this.state = 'closing';
    return new Promise<void>((resolve) => {
      this.link.toBroker(() => {
        if (this.bch.open) this.broker.closeChannel(this.bch);
        this.link.toClient(() => {
          this.toClosed(undefined);
          resolve();
        });
      });
    });
  }

  // ───────────────────────────── internals ─────────────────────────────

  /** @internal sends the channel.open frame; resolves when the channel is usable */
  open(confirm: boolean): Promise<this> {
    return new Promise<this>((resolve, reject) => {
      this.link.toBroker(() => {
        let bch: BrokerChannelState;
        try {
          bch = this.broker.openChannel(this.connection.id, this);
        } catch (e) {
          this.link.toClient(() => reject(e instanceof BrokerClose ? new AmqpError(`Operation failed: ChannelOpen; ${e.describe()}`, e) : e));
          return;
        }
        this.bch = bch;
        if (confirm) this.broker.confirmSelect(bch);
        this.link.toClient(() => resolve(this));
      });
    });
  }

  private assertUsable(): void {
    if (this.state !== 'open') throw new IllegalOperationError(this.state === 'closed' ? 'Channel closed' : 'Channel closing');
  }

  private rpc<T>(method: MethodName, run: () => T, onReply?: (result: unknown) => unknown): Promise<T> {
    if (this.state !== 'open') return Promise.reject(new IllegalOperationError(this.state === 'closed' ? 'Channel closed' : 'Channel closing'));
    return new Promise<T>((resolve, reject) => {
      const call: RpcCall = { method, run, resolve: resolve as (v: unknown) => void, reject };
      if (onReply) call.onReply = onReply;
      if (this.inflight) this.rpcQueue.push(call);
      else this.send(call);
    });
  }

  private send(call: RpcCall): void {
    this.inflight = call;
    this.link.toBroker(() => {
      const bch = this.bch;
      if (!bch.open) return; // the broker closed this channel; its close frame is on the way
      let result: unknown;
      try {
        result = call.run();
      } catch (e) {
        if (e instanceof BrokerClose) {
          this.broker.fail(bch, e);
          this.broker.runDeferred();
          return;
        }
        throw e;
      }
      this.link.toClient(() => this.reply(call, result));
      this.broker.runDeferred();
    });
  }

  private reply(call: RpcCall, result: unknown): void {
    if (this.inflight !== call || this.state !== 'open') return;
    this.inflight = undefined;
    let value = result;
    try {
      if (call.onReply) value = call.onReply(result);
      call.resolve(value);
    } catch (e) {
      call.reject(e);
    }
    const next = this.rpcQueue.shift();
    if (next) this.send(next);
  }

  /** @internal the channel is closed (by us, the broker, or the connection) */
  toClosed(error: Error | undefined, viaConnection = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const ended = () => new Error('Channel ended, no reply will be forthcoming');
    if (this.inflight) this.inflight.reject(ended());
    this.inflight = undefined;
    for (const c of this.rpcQueue) c.reject(ended());
    this.rpcQueue = [];
    this.doomed.clear();
    this.connection.forget(this);
    if (error) {
      if (this.listenerCount('error') > 0) this.safeEmit('error', error);
      else if (!viaConnection) this.connection.unhandledChannelError(error);
    }
    for (const [, u] of this.unconfirmed) {
      const err = new Error('channel closed');
      if (u.cb) this.safeCall(() => u.cb!(err));
      for (const w of u.waiters) w(err);
    }
    this.unconfirmed.clear();
    this.safeEmit('close');
  }

  private safeEmit(event: string, ...args: unknown[]): void {
    try {
      this.emit(event, ...args);
    } catch (e) {
      this.reportUserError(e, `a '${event}' listener threw`);
    }
  }

  private safeCall(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.reportUserError(e, 'a publish callback threw');
    }
  }

  private reportUserError(e: unknown, what: string): void {
    this.broker.world.trace.record('error', {
      source: this.service,
      message: `${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
    });
  }

  // ───────────────────────────── frames from the broker (ChannelSink) ─────────────────────────────

  /** @internal */
  deliverToConsumer(consumerTag: string, queue: string, msg: StoredMessage, deliveryTag: number, redelivered: boolean, crash: boolean, epoch: number): void {
    if (this.state !== 'open' || epoch !== this.epoch) return;
    const onMessage = this.consumers.get(consumerTag);
    if (onMessage === undefined) return;
    const m: ConsumeMessage = {
      content: Bytes.copyOf(msg.content),
      fields: { consumerTag, deliveryTag, redelivered, exchange: msg.exchange, routingKey: msg.routingKey },
      properties: deliveredProperties(msg.properties),
    };
    if (deliveryTag > this.maxTagSeen) this.maxTagSeen = deliveryTag;
    if (crash) this.doomed.set(deliveryTag, { messageId: msg.id, queue, swallowed: false });
    let result: unknown;
    try {
      result = onMessage(m);
    } catch (e) {
      this.consumerThrew(e);
      return;
    }
    const thenable = result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function';
    if (crash) {
      const boom = () => this.crashAfterHandler(deliveryTag, epoch);
      if (thenable) (result as PromiseLike<unknown>).then(boom, boom);
      else boom();
    } else if (thenable) {
      (result as PromiseLike<unknown>).then(undefined, (e: unknown) => this.reportUserError(e, `consumer of '${queue}' rejected (unhandled)`));
    }
  }

  /** The crash-before-ack fault: the handler finished its work, then the process died before its ack left. */
  private crashAfterHandler(tag: number, epoch: number): void {
    const d = this.doomed.get(tag);
    if (d === undefined || epoch !== this.epoch || this.state !== 'open') return;
    this.doomed.clear();
    this.broker.world.trace.record('fault', {
      source: this.service,
      target: d.queue,
      queue: d.queue,
      fault: 'crash-before-ack',
      detail: `${this.service} crashed after handling delivery ${tag} from '${d.queue}'${d.swallowed ? ', before its ack reached the broker' : ' (it had not acked)'}; it reconnects and its unacked messages are redelivered`,
      messageId: d.messageId,
    });
    const next = this.epoch + 1;
    this.epoch = next;
    this.staleUpTo = this.maxTagSeen;
    this.link.toBroker(() => this.broker.crashNow(this.bch, next));
  }

  /** A consumer callback threw: amqplib closes the channel with 541 INTERNAL_ERROR and emits the error. */
  private consumerThrew(e: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    const error = e instanceof Error ? e : new Error(String(e));
    (error as Error & { code?: number }).code = 541;
    this.link.toBroker(() => {
      if (this.bch.open) this.broker.closeChannel(this.bch);
      this.link.toClient(() => this.toClosed(error));
    });
  }

  /** @internal */
  consumerCancelled(consumerTag: string): void {
    if (this.state !== 'open') return;
    const onMessage = this.consumers.get(consumerTag);
    if (!onMessage) return;
    this.consumers.delete(consumerTag);
    try {
      const r = onMessage(null);
      if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function')
        (r as PromiseLike<unknown>).then(undefined, (err: unknown) => this.reportUserError(err, 'consumer rejected on cancel'));
    } catch (err) {
      this.reportUserError(err, 'consumer threw on cancel');
    }
  }

  /** @internal */
  confirmed(publishTag: number, ack: boolean): void {
    const u = this.unconfirmed.get(publishTag);
    if (!u) return;
    this.unconfirmed.delete(publishTag);
    const err = ack ? null : new Error('message nacked');
    if (u.cb) this.safeCall(() => u.cb!(err));
    for (const w of u.waiters) w(err);
    if (this.listenerCount(ack ? 'ack' : 'nack') > 0) this.safeEmit(ack ? 'ack' : 'nack', { deliveryTag: publishTag, multiple: false });
  }

  /** @internal */
  returned(msg: StoredMessage, replyCode: number, replyText: string): void {
    if (this.state !== 'open' || this.listenerCount('return') === 0) return;
    const r: ReturnedMessage = {
      content: Bytes.copyOf(msg.content),
      fields: { replyCode, replyText, exchange: msg.exchange, routingKey: msg.routingKey },
      properties: deliveredProperties(msg.properties),
    };
    this.safeEmit('return', r);
  }

  /** @internal */
  closedByBroker(close: BrokerClose): void {
    if (this.state === 'closed') return;
    const failed = this.inflight;
    this.inflight = undefined;
    const error = new AmqpError(`Channel closed by server: ${close.describe()}`, close);
    if (failed) failed.reject(failed.method === close.method ? new AmqpError(`Operation failed: ${close.method}; ${close.describe()}`, close) : error);
    this.toClosed(error);
  }

  /** @internal the broker closed the whole connection: the call that caused it fails with the broker's reason */
  closedByConnection(close: BrokerClose): void {
    if (this.state === 'closed') return;
    const failed = this.inflight;
    this.inflight = undefined;
    if (failed && failed.method === close.method) failed.reject(new AmqpError(`Operation failed: ${close.method}; ${close.describe()}`, close));
    else if (failed) this.rpcQueue.unshift(failed);
    this.toClosed(undefined, true);
  }

  /** @internal */
  reincarnated(epoch: number): void {
    if (epoch > this.epoch) {
      this.epoch = epoch;
      this.staleUpTo = this.maxTagSeen;
      this.doomed.clear();
    }
  }
}

/**
 * A channel with publisher confirms: `publish` and `sendToQueue` take a
 * callback called with `null` once the broker has the message (in every queue
 * it routes to), or an error if it refused it; `waitForConfirms` waits for all
 * outstanding ones.
 *
 * @example
 * const ch = await conn.createConfirmChannel();
 * ch.sendToQueue('orders', Buffer.from('hi'), {}, (err) => console.log(err ? 'nacked' : 'confirmed'));
 * await ch.waitForConfirms();
 */
export class ConfirmChannel extends Channel {
  /** @internal */
  constructor(connection: Connection, broker: Broker, link: Link) {
    super(connection, broker, link);
    this.confirmMode = true;
  }

  /** Publishes; `callback(err)` runs when the broker confirms (err = null) or refuses the message. */
  override publish(exchange: string, routingKey: string, content: Uint8Array | string, options?: Options.Publish, callback?: ConfirmCallback): boolean {
    if (callback !== undefined && typeof callback !== 'function') throw new TypeError(`publish: the confirm callback must be a function, got ${describeValue(callback)}`);
    return this.sendMessage(exchange, routingKey, content, options, callback);
  }

  /** Sends to a queue through the default exchange, with a confirm callback. */
  override sendToQueue(queue: string, content: Uint8Array | string, options?: Options.Publish, callback?: ConfirmCallback): boolean {
    return this.publish('', queue, content, options, callback);
  }

  /** Resolves when every message published so far is confirmed; rejects if any was refused. */
  waitForConfirms(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const u of this.unconfirmed.values())
      waits.push(
        new Promise<void>((resolve, reject) => {
          u.waiters.push((err) => (err ? reject(err) : resolve()));
        }),
      );
    return Promise.all(waits).then(() => undefined);
  }
}
