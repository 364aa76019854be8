import { randomInt } from 'node:crypto';
import { EventStore, type Broker, type Connection } from '../messaging/index.js';
import type { PlaygroundHost } from '../playground/host.js';
import { checkFaultPlan, Rng, TraceRecorder, type FaultPlan, type Logger, type Service, type SimContext, type VirtualScheduler } from '../sim/index.js';
import { brokerView, QueueLedger } from './queue-ledger.js';
import { RealAmqp } from './real-amqp.js';
import { RealClock } from './real-clock.js';
import { RealHttpClient, RealNetwork } from './real-network.js';
import { RealService } from './real-service.js';
import { joseSigner } from './jose-signer.js';
import type { ServiceDirectory } from './service-directory.js';
import { traceLogger } from './trace-logger.js';

/** Options of {@link RealHost}. */
export interface RealHostOptions {
  /** Seed of `random()`, `uuid()`, `Math.random` and the fault plan's draws; a random one when absent. */
  seed?: string | number;
  /** See {@link RealClock}; default 1. */
  timeScale?: number;
  faults?: FaultPlan;
  /** The broker every `amqp.connect` goes to. */
  amqpUrl: string;
  /** The services this process serves; every one when absent. */
  only?: readonly string[];
  directory: ServiceDirectory;
}

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The playground's host on real infrastructure: services served by Express
 * on real ports, an HTTP client on real HTTP, amqplib to a real RabbitMQ, the
 * real clock, and a trace recorded in the same events as the simulation's.
 * The event bus, the outbox and the saga helpers run on it unchanged (it is
 * their environment); event stores, outbox tables and saga logs live in this
 * process's memory.
 *
 * @example
 * const host = new RealHost({ amqpUrl: 'amqp://127.0.0.1', directory: new ServiceDirectory() });
 * setCurrentHost(host);
 * await import(programUrl); // the program's services start listening
 * await host.shutdown();
 */
export class RealHost implements PlaygroundHost {
  readonly kind = 'real';
  readonly seed: string | number;
  readonly clock: RealClock;
  readonly rng: Rng;
  readonly trace: TraceRecorder;
  readonly epoch: number;
  readonly log: Logger;
  readonly http: RealHttpClient;
  readonly network: RealNetwork;
  readonly ledger = new QueueLedger();
  readonly amqp: RealAmqp;
  readonly faults: FaultPlan;
  /** Service tokens are signed and checked with jose (Node has WebCrypto); the simulation's tokens verify here and the other way round. */
  readonly tokenSigner = joseSigner;
  private readonly services = new Map<string, RealService>();
  /** Services known from the event bus only (no HTTP routes), in the order the program named them. */
  private readonly busServices = new Set<string>();
  private readonly only: ReadonlySet<string> | undefined;

  constructor(private readonly options: RealHostOptions) {
    this.seed = options.seed ?? randomInt(1, 2 ** 31);
    this.faults = checkFaultPlan(options.faults);
    this.clock = new RealClock(options.timeScale !== undefined ? { timeScale: options.timeScale } : {});
    this.epoch = this.clock.epoch;
    this.rng = new Rng(this.seed);
    this.trace = new TraceRecorder(() => this.clock.now());
    this.network = new RealNetwork({ clock: this.clock, trace: this.trace, rng: this.rng, directory: options.directory, faults: this.faults });
    this.http = new RealHttpClient(this.network, 'client');
    this.log = traceLogger(this.trace, 'world');
    this.amqp = new RealAmqp({ brokerUrl: options.amqpUrl, trace: this.trace, ledger: this.ledger, hold: (work) => this.clock.hold(work) });
    this.only = options.only ? new Set(options.only) : undefined;
  }

  /** The service called `name`, created (and, when hosted here, listening) on first use. */
  service(name: string): Service {
    if (typeof name !== 'string' || !SERVICE_NAME.test(name)) throw new TypeError(`service name must be letters, digits, ".", "_" or "-" (got ${JSON.stringify(name)})`);
    let s = this.services.get(name);
    if (!s) {
      const here = this.only === undefined || this.only.has(name);
      s = new RealService(name, this.network, here ? { kind: 'here', address: this.options.directory.listenAddress(name, this.only !== undefined) } : { kind: 'elsewhere' });
      if (s.listening) {
        this.options.directory.host(name, s.listening);
        void this.clock.hold(s.listening).catch(() => undefined);
      }
      this.services.set(name, s);
    }
    // The program is typed against the simulated service; this one has the same public members.
    return s as unknown as Service;
  }

  /** Names of the program's services, in the order it made them (HTTP services first, then those only on the event bus). */
  serviceNames(): string[] {
    return [...new Set([...this.services.keys(), ...this.busServices])];
  }

  runsHere(service: string): boolean {
    if (!this.services.has(service)) this.busServices.add(service);
    return this.only === undefined || this.only.has(service);
  }

  /** The services this process runs that have no HTTP routes here (they only use the event bus). */
  busOnlyServicesHere(): string[] {
    return [...this.busServices].filter((name) => !this.services.has(name) && (this.only === undefined || this.only.has(name)));
  }

  /** The services this process serves, with their ports once they all listen (rejects on the first that cannot). */
  async listening(): Promise<Array<{ name: string; port: number }>> {
    const hosted = [...this.services.values()].filter((s) => s.listening);
    return Promise.all(hosted.map(async (s) => ({ name: s.name, port: await s.listening! })));
  }

  /** Requests in progress, on either side. */
  get busy(): number {
    let n = this.network.busy;
    for (const s of this.services.values()) n += s.busy;
    return n;
  }

  amqpConnect(url: string | undefined, socketOptions?: unknown): Promise<Connection> {
    // The program is typed against the simulation's amqplib-shaped connection; this is amqplib's own.
    return this.amqp.connect(url, socketOptions) as unknown as Promise<Connection>;
  }

  connect(service: string): Promise<Connection> {
    return this.amqpConnect(`amqp://${encodeURIComponent(service)}@rabbitmq`);
  }

  broker(): Broker {
    return brokerView(this.ledger);
  }

  eventStore(name?: string): EventStore {
    // The store only reads the time and schedules callbacks; the real clock does both.
    const context: SimContext & { epoch: number } = {
      scheduler: this.clock as unknown as VirtualScheduler,
      rng: this.rng,
      trace: this.trace,
      faults: this.faults,
      networkLatency: { kind: 'fixed', ms: 0 },
      epoch: this.epoch,
    };
    return new EventStore(context, name);
  }

  /** Closes broker connections (and their channels), stops every server, drops open requests and timers. */
  async shutdown(): Promise<void> {
    await this.amqp.closeAll();
    await Promise.all([...this.services.values()].map((s) => s.close()));
    this.network.abortAll();
    this.clock.cancelAll();
  }
}
