/**
 * The broker's parts wired together, and the AMQP methods clients call
 * ({@link BrokerEndpoint}), each handed to the part it belongs to:
 *
 * - `topology.ts`: exchanges, bindings, routing;
 * - `queue-lifecycle.ts`: queue declare / delete / purge, `x-expires`, auto-delete;
 * - `queues.ts`: enqueue, dispatch with prefetch, TTL, max-length, dead-lettering;
 * - `consumers.ts`: consume, cancel, get, qos;
 * - `acknowledgements.ts`: ack, nack, reject, recover, requeueing;
 * - `publishing.ts`: publish, returns, confirms;
 * - `connections.ts`: connections, channels, errors, crashes;
 * - `broker-stats.ts`: figures and their observables.
 */
import type { BrokerClose } from '../amqp-errors.js';
import type { Options, Replies } from '../amqp-types.js';
import { Acknowledgements } from './acknowledgements.js';
import type { BrokerChannelState, BrokerWorld } from './broker-state.js';
import { BrokerStats } from './broker-stats.js';
import { Connections } from './connections.js';
import { Consumers } from './consumers.js';
import type { AckFrame, BindingRequest, BrokerEndpoint, GetResult, NackFrame, PrefetchLimit, PublishFrame } from './endpoint.js';
import type { AfterReply, FailChannel } from './hooks.js';
import { BrokerNames } from './names.js';
import { Publishing } from './publishing.js';
import { QueueLifecycle } from './queue-lifecycle.js';
import { Queues } from './queues.js';
import type { ChannelSink, ConnectionSink } from './sinks.js';
import { Topology } from './topology.js';

/** One in-memory broker: its parts, and the methods its clients call. */
export class BrokerServer implements BrokerEndpoint {
  readonly topology: Topology;
  readonly stats: BrokerStats;
  readonly queues: Queues;
  readonly lifecycle: QueueLifecycle;
  readonly consumers: Consumers;
  readonly acks: Acknowledgements;
  readonly publishing: Publishing;
  readonly connections: Connections;
  /** Work waiting for the current RPC's reply to go out. */
  private deferred: Array<() => void> = [];

  constructor(readonly world: BrokerWorld) {
    const afterReply: AfterReply = (work) => void this.deferred.push(work);
    const fail: FailChannel = (ch, close) => this.connections.fail(ch, close);
    const names = new BrokerNames(world.rng.fork('broker-names'));
    this.topology = new Topology(world);
    this.stats = new BrokerStats(world.scheduler, this.topology.queues);
    this.queues = new Queues(world, this.topology, this.stats);
    this.lifecycle = new QueueLifecycle(world, this.topology, this.queues, this.stats, names);
    this.consumers = new Consumers(world, this.topology, this.queues, this.lifecycle, this.stats, names, afterReply);
    this.acks = new Acknowledgements(world, this.queues, this.stats, fail, afterReply);
    this.publishing = new Publishing(world, this.topology, this.queues, this.stats, fail);
    this.connections = new Connections(world, this.topology, this.lifecycle, this.acks, this.queues);
    const now = world.scheduler.now();
    for (const t of world.faults.broker?.restarts ?? []) if (t >= now) world.scheduler.at(t, () => this.restart('fault plan'), { sync: true });
  }

  /**
   * Restarts the broker now: connections drop (unacknowledged messages are
   * requeued, frames in flight are lost) and come back at once; non-durable
   * and exclusive queues, non-durable exchanges and transient messages are
   * gone; durable queues keep their persistent messages.
   */
  restart(why: string): void {
    const lostBefore = this.stats.totalDropped();
    this.world.trace.record('fault', { source: 'broker', fault: 'broker-restart', detail: `broker restarts (${why})` });
    for (const ch of this.connections.channels()) {
      ch.epoch++;
      ch.sink.reincarnated(ch.epoch);
      this.acks.putBackAll(ch, 'broker-restart');
    }
    for (const q of [...this.topology.queues.values()]) {
      if (!q.durable || q.exclusiveOwner !== undefined) {
        this.lifecycle.remove(q, 'restart', 'broker');
        continue;
      }
      // A quorum queue keeps every message, whatever its delivery mode (RabbitMQ's documentation).
      if (q.args.type === 'classic') for (const e of q.ready.removeWhere((e) => !e.msg.persistent)) this.queues.dropEntry(q, e, 'restart', 'broker');
      this.queues.scheduleExpiry(q);
    }
    for (const x of [...this.topology.exchanges.values()]) if (!x.durable) this.topology.removeExchange(x);
    this.world.trace.record('log', {
      source: 'broker',
      level: 'warn',
      message: `broker restarted: ${this.stats.totalDropped() - lostBefore} message(s) lost, ${this.topology.queues.size} queue(s) kept`,
    });
    for (const q of this.topology.queues.values()) this.queues.dispatch(q);
  }

  // ───────────────────────────── BrokerEndpoint ─────────────────────────────

  openConnection(service: string, sink: ConnectionSink) {
    return this.connections.open(service, sink);
  }
  closeConnection(connectionId: number): void {
    this.connections.close(connectionId);
  }
  openChannel(connectionId: number, sink: ChannelSink): BrokerChannelState {
    return this.connections.openChannel(connectionId, sink);
  }
  closeChannel(ch: BrokerChannelState): void {
    this.connections.closeChannel(ch);
  }
  fail(ch: BrokerChannelState, close: BrokerClose): void {
    this.connections.fail(ch, close);
  }
  crashNow(ch: BrokerChannelState, epoch?: number): void {
    this.connections.crashNow(ch, epoch);
  }
  runDeferred(): void {
    while (this.deferred.length > 0) {
      const list = this.deferred;
      this.deferred = [];
      for (const fn of list) fn();
    }
  }

  assertQueue(ch: BrokerChannelState, name: string, options: Options.AssertQueue): Replies.AssertQueue {
    return this.lifecycle.declare(ch, name, options);
  }
  checkQueue(ch: BrokerChannelState, name: string): Replies.AssertQueue {
    return this.lifecycle.check(ch, name);
  }
  deleteQueue(ch: BrokerChannelState, name: string, options: Options.DeleteQueue): Replies.DeleteQueue {
    return this.lifecycle.delete(ch, name, options);
  }
  purgeQueue(ch: BrokerChannelState, name: string): Replies.PurgeQueue {
    return this.lifecycle.purge(ch, name);
  }

  assertExchange(ch: BrokerChannelState, name: string, type: string, options: Options.AssertExchange): Replies.AssertExchange {
    return this.topology.declareExchange(ch, name, type, options);
  }
  checkExchange(_ch: BrokerChannelState, name: string): Replies.Empty {
    return this.topology.checkExchange(name);
  }
  deleteExchange(ch: BrokerChannelState, name: string, options: Options.DeleteExchange): Replies.Empty {
    return this.topology.deleteExchange(ch, name, options);
  }
  changeBinding(ch: BrokerChannelState, request: BindingRequest): Replies.Empty {
    return this.topology.changeBinding(ch, request);
  }

  prefetch(ch: BrokerChannelState, limit: PrefetchLimit): Replies.Empty {
    return this.consumers.prefetch(ch, limit);
  }
  confirmSelect(ch: BrokerChannelState): Replies.Empty {
    ch.confirm = true;
    return {};
  }
  recover(ch: BrokerChannelState): Replies.Empty {
    return this.acks.recover(ch);
  }
  consume(ch: BrokerChannelState, queue: string, options: Options.Consume): Replies.Consume {
    return this.consumers.consume(ch, queue, options);
  }
  cancel(ch: BrokerChannelState, consumerTag: string): Replies.Consume {
    return this.consumers.cancel(ch, consumerTag);
  }
  get(ch: BrokerChannelState, queue: string, options: { noAck: boolean }): GetResult | false {
    return this.consumers.get(ch, queue, options);
  }

  publish(ch: BrokerChannelState, frame: PublishFrame): void {
    this.publishing.publish(ch, frame);
  }
  ack(ch: BrokerChannelState, frame: AckFrame): void {
    this.acks.ack(ch, frame);
  }
  nack(ch: BrokerChannelState, frame: NackFrame): void {
    this.acks.nack(ch, frame);
  }
}
