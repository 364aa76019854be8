/**
 * What the event bus and the outbox need from where they run: a clock, a
 * seeded generator, the trace, and broker connections with amqplib's channel
 * API. The simulated broker's connections and amqplib's own both fit, so the
 * same bus runs in the page (virtual time, in-memory broker) and under
 * `spp run` (real clock, a real RabbitMQ).
 */
import type { Rng } from '../sim/rng.js';
import type { TimerHandle } from '../sim/scheduler.js';
import type { TraceRecorder } from '../sim/trace.js';
import type { ConsumeMessage, Options } from './amqp-types.js';

/** Message content as the bus hands it to a channel: bytes, or a string the channel encodes as UTF-8. */
export type BusContent = Uint8Array | string;

/** The part of an amqplib `Channel` the bus uses. */
export interface BusChannel {
  assertQueue(queue: string, options?: Options.AssertQueue): Promise<unknown>;
  assertExchange(exchange: string, type: string, options?: Options.AssertExchange): Promise<unknown>;
  bindQueue(queue: string, source: string, pattern: string): Promise<unknown>;
  prefetch(count: number): Promise<unknown>;
  consume(queue: string, onMessage: (msg: ConsumeMessage | null) => unknown, options?: Options.Consume): Promise<{ consumerTag: string }>;
  cancel(consumerTag: string): Promise<unknown>;
  ack(message: ConsumeMessage): void;
  nack(message: ConsumeMessage, allUpTo?: boolean, requeue?: boolean): void;
  sendToQueue(queue: string, content: BusContent, options?: Options.Publish): boolean;
  close(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of an amqplib `ConfirmChannel` the bus uses: a publish whose callback says whether the broker took the message. */
export interface BusConfirmChannel extends BusChannel {
  publish(exchange: string, routingKey: string, content: BusContent, options: Options.Publish, callback: (error: Error | null | undefined) => void): boolean;
}

/** The part of an amqplib connection the bus uses. */
export interface BusConnection {
  createChannel(): Promise<BusChannel>;
  createConfirmChannel(): Promise<BusConfirmChannel>;
  close(): Promise<void>;
}

/** A clock: the run's time in ms, and callbacks after a delay on it (virtual or real). */
export interface RunClock {
  /** Time of the run in ms since it started. */
  now(): number;
  /** Calls `fn` once `delay` ms of the run's time have passed. */
  after(delay: number, fn: () => void): TimerHandle;
  /** Calls `fn` when the run's time reaches `time` (soon, when it has passed already). */
  at(time: number, fn: () => void): TimerHandle;
  /** Resolves after `ms` of the run's time. */
  sleep(ms: number): Promise<void>;
}

/** Time, randomness and the trace: what an outbox needs. */
export interface RunBasics {
  readonly clock: RunClock;
  /** Seeded; the bus and the outbox take named forks of it. */
  readonly rng: Rng;
  readonly trace: TraceRecorder;
  /** Wall-clock ms (since 1970) that the run's time 0 stands for: event timestamps are `epoch + now`. */
  readonly epoch: number;
}

/** What the event bus needs: {@link RunBasics} and broker connections. */
export interface BusEnv extends RunBasics {
  /** Opens a broker connection that belongs to `service` (the source of what is done through it). */
  connect(service: string): Promise<BusConnection>;
  /**
   * False when `service` runs in another process (real mode with `--only`):
   * its subscriptions declare their queues here but consume nothing, so the
   * process that runs it gets its events. Absent: every service runs here.
   */
  runsHere?(service: string): boolean;
}
