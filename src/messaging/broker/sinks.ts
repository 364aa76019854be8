/**
 * What the broker tells its clients. Each call arrives over the connection's
 * link, after the broker latency; a client channel or connection implements
 * these.
 */
import type { BrokerClose } from '../amqp-errors.js';
import type { StoredMessage } from './stored-message.js';

/** basic.deliver: a message for one consumer. */
export interface DeliverFrame {
  consumerTag: string;
  /** Name of the queue it comes from. */
  queue: string;
  msg: StoredMessage;
  deliveryTag: number;
  redelivered: boolean;
  /** A crash-before-ack fault picked this delivery: the consumer's process dies right after its handler. */
  crash: boolean;
  /** The channel incarnation it was sent to: a client that reconnected since ignores it. */
  epoch: number;
  /** Quorum queues: the `x-delivery-count` header to add (absent on a first delivery). */
  deliveryCount: number | undefined;
}

/** What the broker tells a client channel. */
export interface ChannelSink {
  /** A delivery for one of the channel's consumers. */
  deliverToConsumer(frame: DeliverFrame): void;
  /** The broker cancelled the consumer (its queue was deleted). */
  consumerCancelled(consumerTag: string): void;
  /** Publisher confirm for publish number `publishTag`: the broker took the message (`ack`) or lost or refused it (`nack`). */
  confirmed(publishTag: number, outcome: 'ack' | 'nack'): void;
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
