/**
 * A throwaway RabbitMQ node for the tests of real mode: Debian's
 * `rabbitmq-server`, started as its own node on 127.0.0.1 with its own data
 * directory and free ports, and removed afterwards. Nothing here touches a
 * broker that was already running on the machine.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/lib/rabbitmq/bin';

/** What a test needs of a running node. */
export interface RabbitNode {
  /** `amqp://guest:guest@127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Stops the node and keeps its data, so {@link RabbitNode.start} brings durable state back. */
  stop(): Promise<void>;
  /** Starts the node again after {@link RabbitNode.stop}. */
  start(): Promise<void>;
  /** Stops the node and deletes its data directory. */
  remove(): Promise<void>;
  /**
   * Adds virtual hosts that guest may use, in one call of rabbitmqctl: a test
   * that connects to `<url>/<name>` sees a broker of its own (no queues or
   * bindings of other tests).
   */
  addVhosts(names: readonly string[]): Promise<void>;
}

/** Says what to install when the server is missing; undefined when it is there. */
export function rabbitMissing(): string | undefined {
  if (existsSync(join(BIN, 'rabbitmq-server'))) return undefined;
  return 'RabbitMQ is not installed: the real-mode tests need Debian\'s server. Install it with: apt-get install -y rabbitmq-server';
}

/** A port that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when something accepts TCP connections on `port`, or rejects after `ms`. */
export async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1');
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv, timeout: number) =>
  new Promise<string>((resolve, reject) =>
    execFile(join(BIN, cmd), args, { env, timeout, encoding: 'utf8' }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || stdout || error.message}`)) : resolve(stdout),
    ),
  );

/**
 * Starts a fresh node and resolves once it accepts AMQP connections
 * (typically 6–20 s). Throws with the install command when the server is
 * missing.
 */
export async function startRabbit(): Promise<RabbitNode> {
  const missing = rabbitMissing();
  if (missing) throw new Error(missing);
  const base = mkdtempSync(join(tmpdir(), 'spp-rabbit-'));
  const [port, dist, epmd] = [await freePort(), await freePort(), await freePort()];
  mkdirSync(join(base, 'home'), { recursive: true });
  writeFileSync(join(base, 'enabled_plugins'), '[].\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(base, 'home'),
    PATH: `${BIN}:${process.env['PATH'] ?? ''}`,
    RABBITMQ_NODENAME: `spp${port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(dist),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_EPMD_PORT: String(epmd),
    RABBITMQ_MNESIA_BASE: join(base, 'mnesia'),
    RABBITMQ_LOG_BASE: join(base, 'log'),
    RABBITMQ_PID_FILE: join(base, 'rabbit.pid'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(base, 'enabled_plugins'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  const start = async () => {
    await run('rabbitmq-server', ['-detached'], env, 30_000);
    await run('rabbitmqctl', ['-q', 'wait', '--timeout', '60', env['RABBITMQ_PID_FILE']!], env, 70_000);
    await waitForPort(port, 30_000);
  };
  const stop = async () => {
    await run('rabbitmqctl', ['-q', 'shutdown'], env, 60_000).catch(() => undefined);
  };
  try {
    await start();
  } catch (e) {
    await stop();
    killEpmd(env);
    rmSync(base, { recursive: true, force: true });
    throw e;
  }
  const addVhosts = async (names: readonly string[]) => {
    if (names.some((n) => !/^[A-Za-z0-9._-]+$/.test(n))) throw new Error(`vhost names must be letters, digits, ".", "_" or "-": ${names.join(', ')}`);
    const list = names.map((n) => `<<"${n}">>`).join(',');
    const who = '<<"spp-tests">>';
    const all = '<<".*">>';
    const expression = `[begin rabbit_vhost:add(V, ${who}), rabbit_auth_backend_internal:set_permissions(<<"guest">>, V, ${all}, ${all}, ${all}, ${who}) end || V <- [${list}]], ok.`;
    await run('rabbitmqctl', ['-q', 'eval', expression], env, 60_000);
  };
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    port,
    start,
    stop,
    addVhosts,
    async remove() {
      await stop();
      killEpmd(env);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

function killEpmd(env: NodeJS.ProcessEnv): void {
  try {
    execFileSync('epmd', ['-kill'], { env, stdio: 'ignore', timeout: 5_000 });
  } catch {
    // epmd may have gone with the node already.
  }
}
