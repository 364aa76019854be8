import { connect as amqpConnect, type ChannelModel } from 'amqplib';
import type { TraceRecorder } from '../sim/index.js';
import type { QueueLedger } from './queue-ledger.js';
import { traceChannel, type ChannelTracing } from './traced-channel.js';

/** The broker URL when neither `--amqp` nor `AMQP_URL` gives one. */
export const DEFAULT_AMQP_URL = 'amqp://127.0.0.1';

/** How long a connection attempt may take before real mode gives up. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** RabbitMQ could not be reached (refused, unknown host, or no answer within the time limit). */
export class BrokerUnreachableError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(
      `Cannot reach RabbitMQ at ${redact(url)} (${reason}).\n` +
        'Start a broker, e.g. `docker run -d -p 5672:5672 rabbitmq:3` or `apt-get install -y rabbitmq-server`, ' +
        'or point real mode at yours with --amqp URL or the AMQP_URL variable.',
    );
    this.name = 'BrokerUnreachableError';
  }
}

/** The URL with its password hidden, for messages. */
export function redact(url: string): string {
  return url.replace(/^(amqps?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/**
 * The service a program's URL names: its user part without a password, as
 * in the simulation's `amqp://order-service@rabbitmq`; `client` when it has
 * none (or when the user part is a real login with a password).
 */
export function serviceOfAmqpUrl(url: string | undefined): string {
  const m = /^amqps?:\/\/([^@/]*)@/i.exec(url ?? '');
  if (!m || m[1] === '' || m[1]!.includes(':')) return 'client';
  return decodeURIComponent(m[1]!);
}

/** Options of {@link RealAmqp}. */
export interface RealAmqpOptions {
  /** The broker every connection goes to, whatever URL the program names. */
  brokerUrl: string;
  trace: TraceRecorder;
  ledger: QueueLedger;
  /** Default {@link CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /** Waits on the broker pass through here (the run's clock stands still for them while the program loads). */
  hold?: <T>(work: Promise<T>) => Promise<T>;
}

/**
 * `amqp.connect` of real mode: amqplib connected to one real broker, with
 * every channel traced. The program's URL only names the connecting service
 * (its user part); the broker is the one the command was given, so a program
 * written for the page runs unchanged.
 *
 * @example
 * const amqp = new RealAmqp({ brokerUrl: 'amqp://127.0.0.1', trace, ledger });
 * const conn = await amqp.connect('amqp://order-service@rabbitmq'); // a real amqplib connection
 */
export class RealAmqp {
  private readonly connections = new Set<ChannelModel>();
  private readonly tracing: ChannelTracing;
  private connectionCount = 0;

  constructor(private readonly options: RealAmqpOptions) {
    this.tracing = { trace: options.trace, ledger: options.ledger, publishSeq: new Map(), hold: options.hold ?? ((work) => work) };
  }

  /** Opens a traced connection for the service named by `programUrl`. */
  connect(programUrl: string | undefined, socketOptions?: unknown): Promise<ChannelModel> {
    return this.tracing.hold(this.open(programUrl, socketOptions));
  }

  private async open(programUrl: string | undefined, socketOptions: unknown): Promise<ChannelModel> {
    const service = serviceOfAmqpUrl(programUrl);
    const { brokerUrl } = this.options;
    const limit = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const attempt = amqpConnect(brokerUrl, { timeout: limit, ...(socketOptions as object | undefined) });
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BrokerUnreachableError(brokerUrl, `no answer within ${limit / 1000} s`)), limit);
    });
    let conn: ChannelModel;
    try {
      conn = await Promise.race([attempt, gaveUp]);
    } catch (e) {
      // A connection that opens after we gave up is closed at once.
      attempt.then((late) => late.close(), () => undefined);
      if (e instanceof BrokerUnreachableError) throw e;
      throw new BrokerUnreachableError(brokerUrl, describeSocketError(e));
    } finally {
      clearTimeout(timer);
    }
    const number = ++this.connectionCount;
    let channels = 0;
    this.connections.add(conn);
    conn.on('close', () => this.connections.delete(conn));
    const createChannel = conn.createChannel.bind(conn);
    const createConfirmChannel = conn.createConfirmChannel.bind(conn);
    const label = () => `${service}#${number}/${++channels}`;
    const { hold } = this.tracing;
    Object.assign(conn, {
      createChannel: async (options?: Parameters<ChannelModel['createChannel']>[0]) => traceChannel(await hold(createChannel(options)), service, label(), this.tracing),
      createConfirmChannel: async (options?: Parameters<ChannelModel['createConfirmChannel']>[0]) =>
        traceChannel(await hold(createConfirmChannel(options)), service, label(), this.tracing),
    });
    return conn;
  }

  /** Connections still open. */
  get openConnections(): number {
    return this.connections.size;
  }

  /** Closes every connection still open (their channels with them). */
  async closeAll(): Promise<void> {
    const open = [...this.connections];
    this.connections.clear();
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  }
}

function describeSocketError(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (err && typeof err.code === 'string') return `${err.code}${typeof err.message === 'string' && !err.message.includes(err.code) ? `: ${err.message}` : ''}`;
  return e instanceof Error ? e.message : String(e);
}
