/**
 * The seam between the `playground` module and what runs it. Every
 * playground function reaches time, randomness, the trace, services, HTTP and
 * the broker through the {@link PlaygroundHost} of the run in progress: the
 * runner installs one made from a simulated world, real mode (`spp run`) one
 * made from real HTTP servers, a real RabbitMQ and the real clock. The same
 * learner program runs on either.
 */
import type { Broker, Connection, EventStore } from '../messaging/index.js';
import type { AxiosVerbs, Logger, Rng, Service, TimerHandle, TraceRecorder, World } from '../sim/index.js';

/** The clock of a run: ms since it started, and callbacks after a delay on that clock. */
export interface HostClock {
  /** Time of the run in ms since it started. */
  now(): number;
  /** Calls `fn` once `delay` ms of the run's time have passed. */
  after(delay: number, fn: () => void): TimerHandle;
  /** Resolves after `ms` of the run's time. */
  sleep(ms: number): Promise<void>;
}

/** What the `playground` module needs from whatever runs the program. */
export interface PlaygroundHost {
  /** `simulation` in the page and the tests' worlds; `real` under `spp run`. */
  readonly kind: 'simulation' | 'real';
  readonly clock: HostClock;
  /** The run's random numbers (seeded); patterns and helpers take named forks of it. */
  readonly rng: Rng;
  /** Where everything observable is recorded. */
  readonly trace: TraceRecorder;
  /** Wall-clock time (ms since 1970) that the run's time 0 stands for. */
  readonly epoch: number;
  /** Log lines of the program itself (source `world`). */
  readonly log: Logger;
  /** Calls from outside any service (source `client`). */
  readonly http: AxiosVerbs;
  /** The service called `name`, created on first use. */
  service(name: string): Service;
  /** Opens a broker connection for the service named by the URL's user part (`client` when none). */
  amqpConnect(url: string | undefined, socketOptions?: unknown): Promise<Connection>;
  /** The broker as the program may inspect it (queue statistics…). */
  broker(): Broker;
  /** A new event store named `name`. */
  eventStore(name?: string): EventStore;
  /**
   * The simulated world behind this host, for the helpers that exist only in
   * the simulation so far (event bus, outbox, saga processes). `feature`
   * names the helper, so a host without a world can say which one is missing.
   */
  world(feature: string): World;
}

let current: PlaygroundHost | undefined;

/**
 * Makes `host` the one that the `playground` module's functions act on, for
 * the duration of one run; `undefined` clears it, so nothing outlives a run.
 */
export function setCurrentHost(host: PlaygroundHost | undefined): void {
  current = host;
}

/** The host of the run in progress; throws a clear message outside a run. */
export function currentHost(): PlaygroundHost {
  if (!current) throw new Error('No run in progress: playground functions can only be used by code the playground runs.');
  return current;
}
