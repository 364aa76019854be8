/**
 * Messaging: an in-memory broker that behaves like RabbitMQ behind an
 * amqplib-shaped API, an event bus on a topic exchange, an event store, and a
 * transactional outbox. Everything runs in a world's virtual time and records
 * `mq.*` / `es.*` / `outbox.*` trace events.
 */
export * from './trace-events.js';
export * from './amqp-errors.js';
export * from './amqp-types.js';
export * from './bytes.js';
export * from './emitter.js';
export * from './routing.js';
export { Broker, brokerOf, createBroker, type BrokerWorld, type QueueStats, type ExchangeInfo, type BindingInfo, type BrokerSnapshot } from './broker.js';
export { serviceFromTarget } from './service-from-target.js';
export { Channel, ConfirmChannel, type OnMessage, type ConfirmCallback } from './channel.js';
export { publishProperties, type ReturnedMessage } from './amqp-messages.js';
export { Connection } from './connection.js';
export { connect, createAmqp, type AmqpModule } from './connect.js';
export * from './event-store.js';
export * from './bus-env.js';
export * from './world-bus-env.js';
export * from './event-bus.js';
export * from './outbox.js';
