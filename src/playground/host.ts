/**
 * The seam between the `playground` module and what runs it. Every
 * playground function reaches time, randomness, the trace, services, HTTP and
 * the broker through the {@link PlaygroundHost} of the run in progress: the
 * runner installs one made from a simulated world, real mode (`spp run`) one
 * made from real HTTP servers, a real RabbitMQ and the real clock. The same
 * learner program runs on either.
 */
import type { Broker, Connection, EventStore, RunClock } from '../messaging/index.js';
import type { SagaEnv, TokenSigner } from '../patterns/index.js';
import type { AxiosVerbs, FaultPlan, Logger, Rng, Service, TraceRecorder } from '../sim/index.js';

/** The clock of a run: ms since it started, and callbacks after a delay on that clock. */
export type HostClock = RunClock;

/**
 * What the `playground` module needs from whatever runs the program. It is
 * also the environment of the event bus, the outbox and the saga helpers
 * ({@link SagaEnv}): one implementation of each runs on either host.
 */
export interface PlaygroundHost extends SagaEnv {
  /** `simulation` in the page and the tests' worlds; `real` under `spp run`. */
  readonly kind: 'simulation' | 'real';
  readonly clock: HostClock;
  /** The run's random numbers (seeded); patterns and helpers take named forks of it. */
  readonly rng: Rng;
  /** Where everything observable is recorded. */
  readonly trace: TraceRecorder;
  /** Wall-clock time (ms since 1970) that the run's time 0 stands for. */
  readonly epoch: number;
  /** The fault plan in force. */
  readonly faults: FaultPlan;
  /** Log lines of the program itself (source `world`). */
  readonly log: Logger;
  /** Calls from outside any service (source `client`). */
  readonly http: AxiosVerbs;
  /** The service called `name`, created on first use. */
  service(name: string): Service;
  /** Opens a broker connection for the service named by the URL's user part (`client` when none). */
  amqpConnect(url: string | undefined, socketOptions?: unknown): Promise<Connection>;
  /** Opens a broker connection that belongs to `service` (for the event bus). */
  connect(service: string): Promise<Connection>;
  /**
   * True when this process runs `service`: always in the simulation; under
   * `spp run --only`, for the services listed. Asking also makes the name one
   * of the program's services (a service may exist only on the event bus).
   */
  runsHere(service: string): boolean;
  /** How service tokens are signed and checked; absent: the patterns' plain JavaScript HS256 (real mode uses jose). */
  readonly tokenSigner?: TokenSigner;
  /** The broker as the program may inspect it (queue statistics…). */
  broker(): Broker;
  /** A new event store named `name`. */
  eventStore(name?: string): EventStore;
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
