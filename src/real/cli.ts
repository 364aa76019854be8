/**
 * The `spp` command: runs a playground program on real infrastructure.
 *
 *   spp run examples/retry-backoff/main.ts --amqp amqp://127.0.0.1 --trace run.json
 *
 * Started by `bin/spp.mjs` through tsx (the program and this code are
 * TypeScript), or, in a project downloaded from the page, by the prebuilt
 * runtime file (`runtime-entry.ts` bundled).
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { checkFaultPlan, FaultPlanError, type FaultPlan } from '../sim/index.js';
import { DEFAULT_AMQP_URL } from './real-amqp.js';
import { runProgram } from './run-program.js';

/** What `spp run` accepts. */
interface RunFlags {
  amqp?: string;
  trace?: string;
  seed?: string;
  faults?: string;
  only?: string[];
  services: boolean;
  readyFile?: string;
  main: boolean;
  timeScale: number;
}

function serviceList(value: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('give one or more service names, separated by commas.');
  return names;
}

function timeScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number above 0, e.g. 10.');
  return n;
}

/** A seed as the page takes it: a whole number stays a number, anything else is a string. */
function seedOf(value: string): string | number {
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

function readFaults(path: string): FaultPlan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`--faults: cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return checkFaultPlan(JSON.parse(text));
  } catch (e) {
    throw new Error(`--faults ${path}: ${e instanceof FaultPlanError || e instanceof SyntaxError ? e.message : String(e)}`);
  }
}

/**
 * The command line program; `run` resolves the exit code through `exit`.
 * Programs' `'playground'` imports go to `playgroundUrl`: the playground
 * module this code itself runs with.
 */
export function createCli(exit: (code: number) => void, playgroundUrl: string): Command {
  const cli = new Command('spp')
    .description('Runs a Service Patterns Playground program on real HTTP servers and a real RabbitMQ.')
    .showHelpAfterError('(add --help for the options)');
  cli
    .command('run')
    .description('run a program (a .ts file that imports from "playground") with real services')
    .argument('<file>', 'the program')
    .option('--amqp <url>', `RabbitMQ URL (default: $AMQP_URL, else ${DEFAULT_AMQP_URL})`)
    .option('--trace <file>', "write the trace as JSON (the page's trace format) when the run ends")
    .option('--seed <seed>', "seed of random(), uuid(), Math.random and the fault plan's draws (default: a random one, printed)")
    .option('--faults <file>', 'fault plan (JSON): HTTP latency, error rates and down windows are applied by the services')
    .option('--only <services>', 'serve only these services (comma-separated); the others are reached over the network', serviceList)
    .option('--no-services', "serve none of the program's services: every one is reached over the network (a process that only runs main())")
    .option('--no-main', "do not call the program's main(): serve until Ctrl+C")
    .option('--ready-file <file>', 'write this file once the services here listen (before main()), remove it at the end: for health checks')
    .option('--time-scale <factor>', "run the program's clock this many times faster than the wall clock (below 1: slower)", timeScale, 1)
    .addHelpText(
      'after',
      `
Services are called by name (http://payment-service/...). SPP_SERVICES=name=host:port,... says
where services are (and which port this process's own listen on); any other name is taken for a
host at SPP_PORT (default 8080), e.g. a container. Unlisted services this process serves listen on
a free loopback port, or with --only on SPP_PORT on every interface.

The program's URL in amqp.connect('amqp://order-service@rabbitmq') names the connecting service;
every connection goes to --amqp (or AMQP_URL). Broker faults of a fault plan are not applied.
With --only, a service that only uses the event bus (eventBus('payment-service')) handles its
events in the process that serves it; the others' subscriptions only declare their queues.

--time-scale 10 divides the program's sleeps, timers, timeouts, Date and fault windows by 10;
real network and processing time is not scaled, so it looks 10 times longer to the program.
A scale below 1 (0.2) slows the program's clock: round trips look shorter to it. The clock
starts at the program's first line and stands still while it loads and waits for RabbitMQ or
its listeners, so fault windows count from where the program starts working.

After main() returns, the run waits up to 3 s for requests in progress, then stops and writes
the trace. Ctrl+C (or SIGTERM) stops it at any time, also writing the trace.

Example:
  spp run examples/message-queue/main.ts --amqp amqp://127.0.0.1 --trace trace.json`,
    )
    .action(async (file: string, flags: RunFlags) => {
      let faults: FaultPlan | undefined;
      try {
        if (!flags.services && flags.only) throw new Error('--only and --no-services cannot be used together: --only names the services to serve, --no-services serves none.');
        faults = flags.faults === undefined ? undefined : readFaults(flags.faults);
      } catch (e) {
        process.stderr.write(`${(e as Error).message}\n`);
        exit(1);
        return;
      }
      const controller = new AbortController();
      const stop = (signal: NodeJS.Signals) => controller.abort(signal);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const code = await runProgram({
        file,
        playgroundUrl,
        amqpUrl: flags.amqp ?? process.env['AMQP_URL'] ?? DEFAULT_AMQP_URL,
        ...(flags.trace !== undefined ? { tracePath: flags.trace } : {}),
        ...(flags.seed !== undefined ? { seed: seedOf(flags.seed) } : {}),
        ...(faults ? { faults } : {}),
        ...(flags.only ? { only: flags.only } : flags.services ? {} : { only: [] }),
        ...(flags.readyFile !== undefined ? { readyFile: flags.readyFile } : {}),
        callMain: flags.main,
        timeScale: flags.timeScale,
        env: { SPP_SERVICES: process.env['SPP_SERVICES'], SPP_PORT: process.env['SPP_PORT'] },
        stop: controller.signal,
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
      });
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      exit(code);
    });
  return cli;
}

// Lines written before exiting reach the terminal or pipe first.
const exitAfterFlush = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

/** Runs the command on `process.argv`; the process exits when it is done. */
export function runCli(playgroundUrl: string): Promise<Command> {
  return createCli(exitAfterFlush, playgroundUrl).parseAsync(process.argv);
}
