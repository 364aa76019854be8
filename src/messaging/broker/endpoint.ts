/**
 * What a client can ask of the broker: the AMQP methods it answers
 * ({@link BrokerEndpoint}) and the frames they carry. Client channels and
 * connections depend on these types only, never on the broker's parts, so
 * the broker can be rearranged without touching them.
 *
 * Calls marked "RPC" run inside a client's request and return its reply, or
 * throw a {@link BrokerClose} that closes the channel (or the connection).
 * The others are fire-and-forget frames: an error they cause closes the
 * channel later.
 */
import type { BrokerClose, MethodName } from '../amqp-errors.js';
import type { MessageProperties, Options, Replies } from '../amqp-types.js';
import type { Link } from '../link.js';
import type { BrokerChannelState, BrokerWorld } from './broker-state.js';
import type { ChannelSink, ConnectionSink } from './sinks.js';
import type { StoredMessage } from './stored-message.js';

/** basic.publish as it travels to the broker. */
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
  /** The channel incarnation that sent it: a publish sent before a crash or restart is lost. */
  epoch: number;
}

/** basic.ack as it travels to the broker. */
export interface AckFrame {
  /** The channel incarnation that sent it: an ack sent before a crash or restart is lost. */
  epoch: number;
  deliveryTag: number;
  /** Also every earlier outstanding delivery of the channel (with tag 0: all of them). */
  multiple: boolean;
}

/** basic.nack or basic.reject as it travels to the broker. */
export interface NackFrame extends AckFrame {
  /** Back to the queue; otherwise dead-lettered, or dropped when the queue has no dead-letter exchange. */
  requeue: boolean;
  method: 'nack' | 'reject';
}

/** basic.qos: how many unacknowledged deliveries consumers may hold. */
export interface PrefetchLimit {
  /** 0: no limit. */
  count: number;
  /** Shared by every consumer of the channel, instead of per consumer started from now on. */
  global: boolean;
}

/** A `get` result before it becomes a client message. */
export interface GetResult {
  msg: StoredMessage;
  deliveryTag: number;
  redelivered: boolean;
  messageCount: number;
  /** Quorum queues: the `x-delivery-count` header to add (0 on a first delivery, unlike a consumer's). */
  deliveryCount: number | undefined;
}

/** queue.bind, queue.unbind, exchange.bind or exchange.unbind. */
export interface BindingRequest {
  action: 'bind' | 'unbind';
  /** Where matching messages go: a queue (queue.bind) or another exchange (exchange.bind). */
  destinationType: 'queue' | 'exchange';
  destination: string;
  /** The exchange messages come from. */
  source: string;
  pattern: string | undefined;
  args: Record<string, unknown> | undefined;
}

const BINDING_METHODS = {
  queue: { bind: 'QueueBind', unbind: 'QueueUnbind' },
  exchange: { bind: 'ExchangeBind', unbind: 'ExchangeUnbind' },
} as const satisfies Record<BindingRequest['destinationType'], Record<BindingRequest['action'], MethodName>>;

/** The AMQP method of a binding request, e.g. `QueueBind`. */
export function bindingMethod(r: BindingRequest): MethodName {
  return BINDING_METHODS[r.destinationType][r.action];
}

/** The AMQP methods the broker answers, as client channels and connections call them. */
export interface BrokerEndpoint {
  readonly world: BrokerWorld;

  // connections and channels
  /** A new connection for `service` and its wire (connection.open). */
  openConnection(service: string, sink: ConnectionSink): { id: number; link: Link };
  /** The client closed its connection. */
  closeConnection(connectionId: number): void;
  /** channel.open; throws when the connection is gone. */
  openChannel(connectionId: number, sink: ChannelSink): BrokerChannelState;
  /** The client closed a channel. */
  closeChannel(ch: BrokerChannelState): void;
  /** Closes a channel (or its connection) for an error a method caused. */
  fail(ch: BrokerChannelState, close: BrokerClose): void;
  /** The process owning `ch` crashed and its client reconnected as incarnation `epoch` (default: the next one). */
  crashNow(ch: BrokerChannelState, epoch?: number): void;
  /** Runs work that waits for an RPC's reply to be sent (deliveries after consume-ok, …). */
  runDeferred(): void;

  // queue.* (RPC)
  assertQueue(ch: BrokerChannelState, name: string, options: Options.AssertQueue): Replies.AssertQueue;
  checkQueue(ch: BrokerChannelState, name: string): Replies.AssertQueue;
  deleteQueue(ch: BrokerChannelState, name: string, options: Options.DeleteQueue): Replies.DeleteQueue;
  purgeQueue(ch: BrokerChannelState, name: string): Replies.PurgeQueue;

  // exchange.* (RPC)
  assertExchange(ch: BrokerChannelState, name: string, type: string, options: Options.AssertExchange): Replies.AssertExchange;
  checkExchange(ch: BrokerChannelState, name: string): Replies.Empty;
  deleteExchange(ch: BrokerChannelState, name: string, options: Options.DeleteExchange): Replies.Empty;
  /** queue.bind, queue.unbind, exchange.bind, exchange.unbind. */
  changeBinding(ch: BrokerChannelState, request: BindingRequest): Replies.Empty;

  // basic.* and confirm.select (RPC)
  prefetch(ch: BrokerChannelState, limit: PrefetchLimit): Replies.Empty;
  confirmSelect(ch: BrokerChannelState): Replies.Empty;
  /** basic.recover: requeue every unacknowledged delivery of the channel. */
  recover(ch: BrokerChannelState): Replies.Empty;
  consume(ch: BrokerChannelState, queue: string, options: Options.Consume): Replies.Consume;
  cancel(ch: BrokerChannelState, consumerTag: string): Replies.Consume;
  get(ch: BrokerChannelState, queue: string, options: { noAck: boolean }): GetResult | false;

  // frames
  publish(ch: BrokerChannelState, frame: PublishFrame): void;
  ack(ch: BrokerChannelState, frame: AckFrame): void;
  /** basic.nack and basic.reject. */
  nack(ch: BrokerChannelState, frame: NackFrame): void;
}
