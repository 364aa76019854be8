/**
 * Connections and channels at the broker: opening and closing them, the
 * broker closing them for an error, and a client process crashing (its
 * unacknowledged deliveries are requeued; frames of the old incarnation are
 * void).
 */
import { sampleLatency } from '../../sim/faults.js';
import type { Rng } from '../../sim/rng.js';
import { BrokerClose, ReplyCode } from '../amqp-errors.js';
import { Link } from '../link.js';
import type { MqRequeueReason } from '../trace-events.js';
import type { Acknowledgements } from './acknowledgements.js';
import { BrokerChannelState, type BrokerWorld, type QueueState } from './broker-state.js';
import type { QueueLifecycle } from './queue-lifecycle.js';
import type { Queues } from './queues.js';
import type { ChannelSink, ConnectionSink } from './sinks.js';
import type { Topology } from './topology.js';

interface ConnectionRecord {
  id: number;
  service: string;
  link: Link;
  sink: ConnectionSink;
  channels: Map<number, BrokerChannelState>;
  nextChannel: number;
  open: boolean;
}

/** A connection, for the UI. */
export interface ConnectionInfo {
  id: number;
  service: string;
  channels: number;
}

/** The broker's connections and their channels. */
export class Connections {
  private readonly records = new Map<number, ConnectionRecord>();
  private nextConnection = 1;
  private readonly latencyRng: Rng;

  constructor(
    private readonly world: BrokerWorld,
    private readonly topology: Topology,
    private readonly lifecycle: QueueLifecycle,
    private readonly acks: Acknowledgements,
    private readonly queues: Queues,
  ) {
    this.latencyRng = world.rng.fork('broker-latency');
  }

  /** The broker latency, drawn for one frame. */
  sampleLatency(): number {
    return sampleLatency(this.world.faults.broker?.latency ?? this.world.networkLatency, this.latencyRng);
  }

  /** connection.open: a fresh connection record and its link. */
  open(service: string, sink: ConnectionSink): { id: number; link: Link } {
    const id = this.nextConnection++;
    const link = new Link(
      this.world.scheduler,
      () => this.sampleLatency(),
      (error) => this.reportError(service, error),
    );
    this.records.set(id, { id, service, link, sink, channels: new Map(), nextChannel: 1, open: true });
    return { id, link };
  }

  /** channel.open on a connection. */
  openChannel(connectionId: number, sink: ChannelSink): BrokerChannelState {
    const conn = this.records.get(connectionId);
    if (!conn || !conn.open) throw new BrokerClose(ReplyCode.CONNECTION_FORCED, 'CONNECTION_FORCED - connection is closed', 'ChannelOpen', 'connection');
    const ch = new BrokerChannelState({ id: conn.nextChannel++, connectionId: conn.id, service: conn.service, link: conn.link, sink });
    conn.channels.set(ch.id, ch);
    this.world.trace.record('mq.channel', { source: conn.service, target: 'broker', action: 'open', channel: ch.label });
    return ch;
  }

  /** The client closed a channel. */
  closeChannel(ch: BrokerChannelState): void {
    this.closeChannelState(ch, 'channel-closed', undefined);
  }

  /** The client closed its connection. */
  close(connectionId: number): void {
    const conn = this.records.get(connectionId);
    if (!conn || !conn.open) return;
    this.shutDown(conn);
  }

  /** The broker closes a channel (or its connection) because of an error. */
  fail(ch: BrokerChannelState, close: BrokerClose): void {
    if (close.closes === 'connection') {
      const conn = this.records.get(ch.connectionId);
      if (!conn || !conn.open) return;
      this.world.trace.record('mq.channel', { source: ch.service, target: 'broker', action: 'error', channel: `${conn.service}#${conn.id}`, error: close.text });
      this.shutDown(conn);
      conn.link.toClient(() => conn.sink.closedByBroker(close));
      return;
    }
    if (!ch.open) return;
    this.closeChannelState(ch, 'channel-closed', close);
    ch.link.toClient(() => ch.sink.closedByBroker(close));
  }

  /**
   * The process owning a channel crashed and its client reconnected:
   * unacked messages are requeued, frames of the old incarnation are void.
   * `epoch` is the incarnation the client moved to (default: the next one).
   */
  crashNow(ch: BrokerChannelState, epoch = ch.epoch + 1): void {
    if (!ch.open) return;
    if (epoch > ch.epoch) ch.epoch = epoch;
    ch.sink.reincarnated(ch.epoch);
    this.acks.requeueAll(ch, 'consumer-crash');
  }

  /** {@link crashNow} for every channel of `service`. */
  crashService(service: string): void {
    for (const conn of this.records.values()) if (conn.service === service) for (const ch of conn.channels.values()) this.crashNow(ch);
  }

  /** Every open channel. */
  *channels(): Iterable<BrokerChannelState> {
    for (const conn of this.records.values()) yield* conn.channels.values();
  }

  /** Connections, for the UI. */
  infos(): ConnectionInfo[] {
    return [...this.records.values()].map((c) => ({ id: c.id, service: c.service, channels: c.channels.size }));
  }

  /** Closes every channel of a connection and forgets it; its exclusive queues go too. */
  private shutDown(conn: ConnectionRecord): void {
    conn.open = false;
    for (const ch of [...conn.channels.values()]) this.closeChannelState(ch, 'connection-closed', undefined);
    this.records.delete(conn.id);
    for (const q of [...this.topology.queues.values()]) if (q.exclusiveOwner === conn.id) this.lifecycle.remove(q, 'deleted', conn.service);
  }

  private closeChannelState(ch: BrokerChannelState, reason: MqRequeueReason, close: BrokerClose | undefined): void {
    if (!ch.open) return;
    ch.open = false;
    const handOver = new Set<QueueState>();
    for (const c of [...ch.consumers.values()]) {
      this.lifecycle.removeConsumer(c);
      if (c.queue.args.singleActiveConsumer) handOver.add(c.queue);
    }
    this.acks.requeueAll(ch, reason);
    // With single active consumer the next consumer takes over, its predecessor's unacknowledged messages first.
    for (const q of handOver) this.queues.dispatch(q);
    this.records.get(ch.connectionId)?.channels.delete(ch.id);
    this.world.trace.record('mq.channel', {
      source: ch.service,
      target: 'broker',
      action: close ? 'error' : 'close',
      channel: ch.label,
      ...(close ? { error: close.text } : {}),
    });
  }

  /** Records an error that escaped a frame handler. */
  private reportError(service: string, error: unknown): void {
    this.world.trace.record('error', {
      source: service,
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
  }
}
