import { getMessage, publishProperties } from './amqp-messages.js';
import type { GetMessage, Message, Options, Replies } from './amqp-types.js';
import { BaseChannel, type ChannelOwner, type OnMessage } from './base-channel.js';
import { bodyPreview, textPreview } from './body-preview.js';
import { bindingMethod, type AckFrame, type BindingRequest, type BrokerEndpoint, type GetResult, type NackFrame, type PublishFrame } from './broker/endpoint.js';
import { contentBytes, describeValue } from './bytes.js';
import type { Emitter } from './emitter.js';
import type { Link } from './link.js';
import { PublisherConfirms, type ConfirmCallback } from './publisher-confirms.js';

export type { ConfirmCallback, OnMessage };

/** The connection a channel lives on, as the channel sees it ({@link Connection} is one). */
export interface ChannelConnection extends Emitter, ChannelOwner {
  createChannel(): Promise<Channel>;
  createConfirmChannel(): Promise<ConfirmChannel>;
  close(): Promise<void>;
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
export class Channel extends BaseChannel {
  /** The connection this channel belongs to. */
  declare readonly connection: ChannelConnection;

  /** @internal use `connection.createChannel()` */
  constructor(connection: ChannelConnection, broker: BrokerEndpoint, link: Link) {
    super(connection, broker, link);
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
    return this.changeBinding({ action: 'bind', destinationType: 'queue', destination: queue, source, pattern, args });
  }

  /** Removes a binding made by {@link bindQueue}. */
  unbindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Replies.Empty> {
    return this.changeBinding({ action: 'unbind', destinationType: 'queue', destination: queue, source, pattern, args });
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
    return this.changeBinding({ action: 'bind', destinationType: 'exchange', destination, source, pattern, args });
  }

  /** Removes a binding made by {@link bindExchange}. */
  unbindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<Replies.Empty> {
    return this.changeBinding({ action: 'unbind', destinationType: 'exchange', destination, source, pattern, args });
  }

  private changeBinding(request: BindingRequest): Promise<Replies.Empty> {
    return this.rpc(bindingMethod(request), () => this.broker.changeBinding(this.bch, request));
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
    const publishTag = this.confirms ? this.confirms.add(cb) : 0;
    const frame: PublishFrame = { exchange, routingKey, content: bytes, properties, mandatory, messageId, cause: ev.seq, publishTag, epoch: this.life.epoch };
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
    return this.rpc(
      'BasicGet',
      () => this.broker.get(this.bch, queue, { noAck }),
      (r) => {
        if (r === false) return false;
        const m = getMessage(r as GetResult);
        this.life.received(m.fields.deliveryTag);
        return m;
      },
    ) as Promise<GetMessage | false>;
  }

  /**
   * Limits unacknowledged deliveries per consumer started after this call
   * (0: no limit), or, with `global`, for the whole channel.
   */
  prefetch(count: number, global = false): Promise<Replies.Empty> {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 65535)
      return Promise.reject(new TypeError(`prefetch: count must be an integer from 0 (no limit) to 65535, got ${describeValue(count)}`));
    return this.rpc('BasicQos', () => this.broker.prefetch(this.bch, { count, global: !!global }));
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
    const frame: AckFrame = { epoch: this.life.epoch, deliveryTag: this.tagOf(message, 'ack'), multiple: !!allUpTo };
    if (!this.life.swallowed(message, frame, 'ack')) this.link.toBroker(() => this.broker.ack(this.bch, frame));
  }

  /** Acknowledges every outstanding message of this channel. */
  ackAll(): void {
    this.assertUsable();
    const frame: AckFrame = { epoch: this.life.epoch, deliveryTag: 0, multiple: true };
    if (!this.life.swallowed(undefined, frame, 'ackAll')) this.link.toBroker(() => this.broker.ack(this.bch, frame));
  }

  /**
   * Rejects a message (with `allUpTo`, every earlier one too). `requeue`
   * defaults to true, as in amqplib: the message goes back near the head of its
   * queue and is redelivered. With `requeue = false` it is dead-lettered, or
   * dropped (a traced `mq.drop`) when the queue has no dead-letter exchange.
   */
  nack(message: Message, allUpTo = false, requeue = true): void {
    const frame: NackFrame = { epoch: this.life.epoch, deliveryTag: this.tagOf(message, 'nack'), multiple: !!allUpTo, requeue: requeue !== false, method: 'nack' };
    this.sendNack(message, frame, 'nack');
  }

  /** Nacks every outstanding message of this channel (`requeue` defaults to true). */
  nackAll(requeue = true): void {
    this.assertUsable();
    this.sendNack(undefined, { epoch: this.life.epoch, deliveryTag: 0, multiple: true, requeue: requeue !== false, method: 'nack' }, 'nackAll');
  }

  /** Rejects one message; `requeue` defaults to true (see {@link nack}). */
  reject(message: Message, requeue = true): void {
    const frame: NackFrame = { epoch: this.life.epoch, deliveryTag: this.tagOf(message, 'reject'), multiple: false, requeue: requeue !== false, method: 'reject' };
    this.sendNack(message, frame, 'reject');
  }

  private sendNack(message: Message | undefined, frame: NackFrame, what: string): void {
    if (!this.life.swallowed(message, frame, what)) this.link.toBroker(() => this.broker.nack(this.bch, frame));
  }

  private tagOf(message: Message, what: string): number {
    this.assertUsable();
    const tag = (message as Partial<Message> | null | undefined)?.fields?.deliveryTag;
    if (typeof tag !== 'number') throw new TypeError(`${what}: expected a message received on this channel (with fields.deliveryTag), got ${describeValue(message)}`);
    return tag;
  }

  // ───────────────────────────── opening and closing ─────────────────────────────

  /** Closes the channel; the broker requeues its unacknowledged messages. */
  close(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(this.unusable());
    this.state = 'closing';
    return new Promise<void>((resolve) => {
      this.link.toBroker(() => {
        if (this.bch.open) this.broker.closeChannel(this.bch);
        this.link.toClient(() => {
          this.toClosed(undefined, 'channel');
          resolve();
        });
      });
    });
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
  protected declare confirms: PublisherConfirms;

  /** @internal */
  constructor(connection: ChannelConnection, broker: BrokerEndpoint, link: Link) {
    super(connection, broker, link);
    this.confirms = new PublisherConfirms((fn) => this.safeCall(fn));
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
    return this.confirms.waitForAll();
  }
}
