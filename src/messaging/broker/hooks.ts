/**
 * What the server hands its parts so they can reach back into it without
 * importing it (the server imports them).
 */
import type { BrokerClose } from '../amqp-errors.js';
import type { BrokerChannelState } from './broker-state.js';

/** Queues work to run once the reply of the current RPC has been sent (deliveries after consume-ok, as in RabbitMQ). */
export type AfterReply = (work: () => void) => void;

/** Closes a channel (or its connection) for an error one of its frames caused. */
export type FailChannel = (ch: BrokerChannelState, close: BrokerClose) => void;
