/**
 * The machinery under a {@link Channel}: its state, its requests to the
 * broker (one at a time), the frames the broker sends it (deliveries,
 * cancels, confirms, returns, closes), and user callbacks run so that what
 * they throw is reported rather than thrown into the broker. amqplib splits
 * its channel the same way: a base channel under the promise API.
 */
import { AmqpError, BrokerClose, IllegalOperationError, type MethodName } from './amqp-errors.js';
import { consumeMessage, returnedMessage } from './amqp-messages.js';
import type { ConsumeMessage } from './amqp-types.js';
import type { BrokerChannelState } from './broker/broker-state.js';
import type { BrokerEndpoint } from './broker/endpoint.js';
import type { ChannelSink, DeliverFrame } from './broker/sinks.js';
import type { StoredMessage } from './broker/stored-message.js';
import { ChannelIncarnation } from './channel-incarnation.js';
import { ChannelRpc } from './channel-rpc.js';
import { Emitter } from './emitter.js';
import type { Link } from './link.js';
import type { PublisherConfirms } from './publisher-confirms.js';

/** Called once per delivery; `null` when the broker cancels the consumer (its queue was deleted). */
export type OnMessage = (msg: ConsumeMessage | null) => unknown;

/** What a channel needs from the connection it lives on. */
export interface ChannelOwner {
  /** The service that owns the connection. */
  readonly service: string;
  /** @internal connection number at the broker */
  readonly id: number;
  /** @internal a channel closed */
  forget(ch: BaseChannel): void;
  /** @internal a channel error nobody listened to */
  unhandledChannelError(error: Error): void;
}

type ChannelState = 'open' | 'closing' | 'closed';

/** A channel's state and its traffic with the broker; {@link Channel} adds amqplib's API. */
export abstract class BaseChannel extends Emitter implements ChannelSink {
  /** @internal the broker's side of this channel (set when the open frame arrives) */
  bch!: BrokerChannelState;
  /** @internal */
  protected state: ChannelState = 'open';
  /** @internal */
  protected readonly life: ChannelIncarnation;
  /** @internal the channel's consumers by tag */
  protected readonly consumers = new Map<string, OnMessage>();
  /** @internal outstanding publisher confirms, on a confirm channel */
  protected confirms: PublisherConfirms | undefined = undefined;
  private readonly rpcs: ChannelRpc;

  /** @internal */
  constructor(
    /** The connection this channel belongs to. */
    readonly connection: ChannelOwner,
    /** @internal */
    readonly broker: BrokerEndpoint,
    /** @internal */
    readonly link: Link,
  ) {
    super();
    this.life = new ChannelIncarnation(broker.world.trace, connection.service);
    this.rpcs = new ChannelRpc(
      broker,
      link,
      () => this.bch,
      () => this.state === 'open',
    );
  }

  /** Service that owns this channel (the source of its trace events). */
  get service(): string {
    return this.connection.service;
  }

  /** @internal sends the channel.open frame (and confirm.select on a confirm channel); resolves when the channel is usable */
  open(): Promise<this> {
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
        if (this.confirms) this.broker.confirmSelect(bch);
        this.link.toClient(() => resolve(this));
      });
    });
  }

  /**
   * @internal the channel is closed, by us, the broker, or the connection
   * (`via` the connection: an error is the connection's to report).
   */
  toClosed(error: Error | undefined, via: 'channel' | 'connection'): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.rpcs.failAll(() => new Error('Channel ended, no reply will be forthcoming'));
    this.life.closed();
    this.connection.forget(this);
    if (error) {
      if (this.listenerCount('error') > 0) this.safeEmit('error', error);
      else if (via === 'channel') this.connection.unhandledChannelError(error);
    }
    this.confirms?.failAll();
    this.safeEmit('close');
  }

  /** @internal */
  protected unusable(): IllegalOperationError {
    return new IllegalOperationError(this.state === 'closed' ? 'Channel closed' : 'Channel closing');
  }

  /** @internal */
  protected assertUsable(): void {
    if (this.state !== 'open') throw this.unusable();
  }

  /** @internal one request to the broker, after those before it */
  protected rpc<T>(method: MethodName, run: () => T, onReply?: (result: unknown) => unknown): Promise<T> {
    if (this.state !== 'open') return Promise.reject(this.unusable());
    return this.rpcs.call(method, run, onReply);
  }

  /** @internal emits an event; what a listener throws is reported */
  protected safeEmit(event: string, ...args: unknown[]): void {
    try {
      this.emit(event, ...args);
    } catch (e) {
      this.reportUserError(e, `a '${event}' listener threw`);
    }
  }

  /** @internal runs a user callback; what it throws is reported, not thrown */
  protected safeCall(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.reportUserError(e, 'a publish callback threw');
    }
  }

  /** @internal records an error of user code as an `error` trace event */
  protected reportUserError(e: unknown, what: string): void {
    this.broker.world.trace.record('error', {
      source: this.service,
      message: `${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
    });
  }

  // ───────────────────────────── frames from the broker (ChannelSink) ─────────────────────────────

  /** @internal */
  deliverToConsumer(f: DeliverFrame): void {
    if (this.state !== 'open' || f.epoch !== this.life.epoch) return;
    const onMessage = this.consumers.get(f.consumerTag);
    if (onMessage === undefined) return;
    const m = consumeMessage(f);
    this.life.received(f.deliveryTag, f.crash ? { messageId: f.msg.id, queue: f.queue } : undefined);
    let result: unknown;
    try {
      result = onMessage(m);
    } catch (e) {
      this.consumerThrew(e);
      return;
    }
    const thenable = result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function';
    if (f.crash) {
      const boom = () => this.crashAfterHandler(f.deliveryTag, f.epoch);
      if (thenable) (result as PromiseLike<unknown>).then(boom, boom);
      else boom();
    } else if (thenable) {
      (result as PromiseLike<unknown>).then(undefined, (e: unknown) => this.reportUserError(e, `consumer of '${f.queue}' rejected (unhandled)`));
    }
  }

  /** The crash-before-ack fault: the handler finished its work, then the process died before its ack left. */
  private crashAfterHandler(tag: number, epoch: number): void {
    if (this.state !== 'open') return;
    const next = this.life.crashAfterHandler(tag, epoch);
    if (next !== undefined) this.link.toBroker(() => this.broker.crashNow(this.bch, next));
  }

  /** A consumer callback threw: amqplib closes the channel with 541 INTERNAL_ERROR and emits the error. */
  private consumerThrew(e: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    const error = e instanceof Error ? e : new Error(String(e));
    (error as Error & { code?: number }).code = 541;
    this.link.toBroker(() => {
      if (this.bch.open) this.broker.closeChannel(this.bch);
      this.link.toClient(() => this.toClosed(error, 'channel'));
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
  confirmed(publishTag: number, outcome: 'ack' | 'nack'): void {
    if (this.confirms?.settle(publishTag, outcome) && this.listenerCount(outcome) > 0) this.safeEmit(outcome, { deliveryTag: publishTag, multiple: false });
  }

  /** @internal */
  returned(msg: StoredMessage, replyCode: number, replyText: string): void {
    if (this.state !== 'open' || this.listenerCount('return') === 0) return;
    this.safeEmit('return', returnedMessage(msg, replyCode, replyText));
  }

  /** @internal */
  closedByBroker(close: BrokerClose): void {
    if (this.state === 'closed') return;
    const failed = this.rpcs.takeInflight();
    const error = new AmqpError(`Channel closed by server: ${close.describe()}`, close);
    if (failed) failed.reject(failed.method === close.method ? new AmqpError(`Operation failed: ${close.method}; ${close.describe()}`, close) : error);
    this.toClosed(error, 'channel');
  }

  /** @internal the broker closed the whole connection: the call that caused it fails with the broker's reason */
  closedByConnection(close: BrokerClose): void {
    if (this.state === 'closed') return;
    const failed = this.rpcs.takeInflight();
    if (failed && failed.method === close.method) failed.reject(new AmqpError(`Operation failed: ${close.method}; ${close.describe()}`, close));
    else if (failed) this.rpcs.putBack(failed);
    this.toClosed(undefined, 'connection');
  }

  /** @internal */
  reincarnated(epoch: number): void {
    this.life.reincarnated(epoch);
  }
}
