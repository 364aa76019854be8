/**
 * basic.publish at the broker: checks, routing keys (`CC`, `BCC`),
 * per-message TTL, routing, unroutable messages (returned when `mandatory`,
 * else dropped), and publisher confirms.
 */
import { BrokerClose, brokerText, ReplyCode } from '../amqp-errors.js';
import type { MqDropReason } from '../trace-events.js';
import { parseExpiration } from './argument-values.js';
import type { BrokerChannelState, BrokerWorld, QueueState } from './broker-state.js';
import type { BrokerStats } from './broker-stats.js';
import type { PublishFrame } from './endpoint.js';
import type { FailChannel } from './hooks.js';
import type { Queues } from './queues.js';
import type { StoredMessage } from './stored-message.js';
import type { Topology } from './topology.js';

function toKeys(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}


/** Takes published messages into the queues they route to. */
export class Publishing {
  constructor(
    private readonly world: BrokerWorld,
    private readonly topology: Topology,
    private readonly queues: Queues,
    private readonly stats: BrokerStats,
    private readonly fail: FailChannel,
  ) {}

  /** basic.publish arrives at the broker */
  publish(ch: BrokerChannelState, p: PublishFrame): void {
    const props = p.properties;
    if (!ch.open || p.epoch !== ch.epoch) {
      this.drop(ch, p, ch.open ? 'connection-lost' : 'channel-closed');
      if (p.publishTag > 0 && ch.open) this.confirm(ch, p, 'nack');
      return;
    }
    const x = this.topology.exchange(p.exchange);
    if (!x) {
      this.drop(ch, p, 'no-exchange');
      this.fail(ch, new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noExchange(p.exchange), 'BasicPublish'));
      return;
    }
    if (x.internal) {
      this.drop(ch, p, 'no-exchange');
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
    // The user a connection is logged in as is its service (the user of an amqp URL).
    if (props.userId !== undefined && props.userId !== ch.service) {
      this.drop(ch, p, 'channel-closed');
      this.fail(ch, new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - user_id property set to '${props.userId}' but authenticated user was '${ch.service}'`, 'BasicPublish'));
      return;
    }
    let ttl: number | undefined;
    if (props.expiration !== undefined) {
      const parsed = parseExpiration(props.expiration);
      if ('reason' in parsed) {
        this.drop(ch, p, 'channel-closed');
        this.fail(ch, new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - invalid expiration '${props.expiration}': ${parsed.reason}`, 'BasicPublish'));
        return;
      }
      ttl = parsed.ttl;
    }
    const msg: StoredMessage = {
      id: p.messageId,
      content: p.content,
      properties: props,
      exchange: p.exchange,
      routingKey: p.routingKey,
      routingKeys: bcc !== undefined ? [p.routingKey, ...toKeys(cc)] : keys,
      persistent: props.deliveryMode === 2,
      cause: p.cause,
      ttl,
      source: ch.service,
    };
    const targets: QueueState[] = this.topology.route(x, keys, headers);
    const source = ch.service;
    const target = p.exchange || p.routingKey;
    const cause = p.cause;
    const corr = props.correlationId;
    this.world.trace.record('mq.route', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, exchange: p.exchange, routingKey: p.routingKey, queues: targets.length === 1 ? (targets[0]!.alone as string[]) : targets.map((q) => q.name) });
    if (targets.length === 0) {
      if (p.mandatory) {
        this.world.trace.record('mq.return', { source, target, causationId: cause, correlationId: corr, messageId: p.messageId, exchange: p.exchange, routingKey: p.routingKey, replyCode: ReplyCode.NO_ROUTE, replyText: 'NO_ROUTE' });
        ch.link.toClient(() => ch.sink.returned(msg, ReplyCode.NO_ROUTE, 'NO_ROUTE'));
      } else {
        this.stats.unroutable++;
        this.drop(ch, p, 'unroutable');
      }
      if (p.publishTag > 0) this.confirm(ch, p, 'ack');
      return;
    }
    let ok = true;
    for (const q of targets) if (!this.queues.enqueue(q, msg, 'publish')) ok = false;
    if (p.publishTag > 0) this.confirm(ch, p, ok ? 'ack' : 'nack');
  }

  /** A published message no queue gets (traced). */
  private drop(ch: BrokerChannelState, p: PublishFrame, reason: MqDropReason): void {
    this.world.trace.record('mq.drop', { source: ch.service, target: p.exchange || p.routingKey, causationId: p.cause, correlationId: p.properties.correlationId, messageId: p.messageId, reason, exchange: p.exchange });
  }

  /** Publisher confirm: `ack` once every queue took the message (or none was to), `nack` when one lost or refused it. */
  private confirm(ch: BrokerChannelState, p: PublishFrame, outcome: 'ack' | 'nack'): void {
    const tag = p.publishTag;
    this.world.trace.record('mq.confirm', { source: ch.service, target: p.exchange || p.routingKey, causationId: p.cause, correlationId: p.properties.correlationId, messageId: p.messageId, ack: outcome === 'ack', publishTag: tag });
    ch.link.toClient(() => ch.sink.confirmed(tag, outcome));
  }
}
