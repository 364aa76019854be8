import { rmSync, writeFileSync } from 'node:fs';
// Loaded with the command, so the program's clock starts when the program does, not while this compiles.
import '../playground/index.js';
import { setCurrentHost } from '../playground/host.js';
import { captureConsole } from '../runner/worker/console-capture.js';
import { jsonSafe, traceToJSON, type FaultPlan } from '../sim/index.js';
import { hasBrokerFaults } from './http-faults.js';
import { redact } from './real-amqp.js';
import { RealHost } from './real-host.js';
import { PROGRAM_GLOBALS, programGlobals } from './program-globals.js';
import { prepareProgram, ProgramError, type PreparedProgram } from './program-loader.js';
import { ServiceDirectory } from './service-directory.js';
import { printTrace } from './trace-printer.js';

/** Options of {@link runProgram}: what `spp run` was given. */
export interface RunProgramOptions {
  /** The TypeScript program. */
  file: string;
  /** URL of the playground module the program's `'playground'` import is pointed at (the one this code runs with). */
  playgroundUrl: string;
  /** The RabbitMQ every `amqp.connect` goes to. */
  amqpUrl: string;
  /** Where to write the trace (the page's trace file format). */
  tracePath?: string;
  seed?: string | number;
  faults?: FaultPlan;
  /** Serve only these services; the others are reached over the network. */
  only?: string[];
  /** Call the program's `main()` (default); without it, serve until stopped. */
  callMain: boolean;
  timeScale?: number;
  /** `SPP_SERVICES` and `SPP_PORT`. */
  env: { SPP_SERVICES?: string | undefined; SPP_PORT?: string | undefined };
  /** Aborted on Ctrl+C / SIGTERM (the signal's name as the reason): the run shuts down and writes its trace. */
  stop: AbortSignal;
  /**
   * A file written once the services here listen and the program is ready
   * (before `main()`, or when it starts serving), and removed at the end:
   * what a container's health check looks for.
   */
  readyFile?: string;
  /** Real ms to wait after `main()` for requests still in progress; default 3000. */
  drainMs?: number;
  /** Lines for the terminal (standard output / standard error). */
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Helpers whose data real mode keeps in the process's memory (the simulation's are in the world). */
const IN_MEMORY = ['eventStore', 'durableStore', 'outbox', 'sagaOrchestrator', 'orderOrchestration'];
/** Helpers with a process that the fault plan (or the program) can crash. */
const CRASHABLE = ['serviceProcess', 'sagaOrchestrator', 'orderOrchestration'];

/** Why a run stopped early. */
type Interruption = { kind: 'signal' } | { kind: 'failure' };

const fmt = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Errors whose message says all there is to say (no need for the error's class name). */
const SELF_EXPLAINING = new Set(['BrokerUnreachableError', 'PortInUseError', 'NotInRealModeError', 'ServiceDirectoryError', 'FaultPlanError']);

/**
 * Runs a playground program on real infrastructure, as `spp run` does:
 * loads it with the real host current (its services start listening),
 * checks `--only`, calls `main()` and prints what it returned, waits a
 * little for requests still in progress, shuts everything down and writes
 * the trace. Resolves to the process exit code: 0 when it ran without
 * error (or was stopped while serving), 1 on an error, 130 (SIGINT) or 143
 * (SIGTERM) when stopped while `main()` was still running, as shells count.
 *
 * @example
 * const code = await runProgram({ file: 'examples/retry-backoff/main.ts', playgroundUrl, amqpUrl: 'amqp://127.0.0.1', callMain: true, env: process.env, stop: controller.signal, out: console.log, err: console.error });
 */
export async function runProgram(o: RunProgramOptions): Promise<number> {
  let program: PreparedProgram;
  let host: RealHost;
  try {
    program = prepareProgram(o.file, o.playgroundUrl);
    host = new RealHost({
      amqpUrl: o.amqpUrl,
      directory: new ServiceDirectory({ services: o.env.SPP_SERVICES, port: o.env.SPP_PORT }),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.faults ? { faults: o.faults } : {}),
      ...(o.only ? { only: o.only } : {}),
      ...(o.timeScale !== undefined ? { timeScale: o.timeScale } : {}),
    });
  } catch (e) {
    o.err(e instanceof ProgramError ? e.describe() : e instanceof Error && SELF_EXPLAINING.has(e.name) ? e.message : fmt(e));
    return 1;
  }
  return new RealRun(host, program, o).run();
}

/** One run of `spp run`, from loading the program to writing the trace. */
class RealRun {
  private failed = false;
  private entered: () => void = () => undefined;
  private interrupt: (why: Interruption) => void = () => undefined;
  private readonly interrupted: Promise<Interruption>;

  constructor(
    private readonly host: RealHost,
    private readonly program: PreparedProgram,
    private readonly o: RunProgramOptions,
  ) {
    this.interrupted = new Promise((resolve) => (this.interrupt = resolve));
  }

  /** Records and prints an error of the program, and ends the run. */
  private fail(e: unknown, prefix = ''): void {
    const where = this.program.locate(e);
    const message = prefix + (e instanceof Error && SELF_EXPLAINING.has(e.name) ? e.message : fmt(e));
    this.host.trace.record('error', { source: 'world', message, ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) });
    this.failed = true;
    this.o.err(`error: ${message}`);
    if (where) this.o.err(`  at ${where}`);
    this.interrupt({ kind: 'failure' });
  }

  /** Resolves with `work`'s value, or with the interruption that came first. */
  private race<T>(work: Promise<T>): Promise<{ done: true; value: T } | { done: false; why: Interruption }> {
    return Promise.race([work.then((value) => ({ done: true as const, value })), this.interrupted.then((why) => ({ done: false as const, why }))]);
  }

  async run(): Promise<number> {
    const { host, program, o } = this;
    const onSignal = () => this.interrupt({ kind: 'signal' });
    if (o.stop.aborted) onSignal();
    o.stop.addEventListener('abort', onSignal);
    const onRejection = (reason: unknown) => this.fail(reason, 'Unhandled promise rejection: ');
    const onException = (error: unknown) => this.fail(error, 'Uncaught ');
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
    // Loading the program's module (Node's loader, tsx's hooks) is not the program's time: the clock
    // stands still until its first line runs.
    let enter!: () => void;
    void host.clock.hold(new Promise<void>((resolve) => (enter = resolve)));
    this.entered = enter;
    const globals = programGlobals(host.clock, host.rng, { onEnter: enter });
    (globalThis as Record<symbol, unknown>)[PROGRAM_GLOBALS] = globals;
    const printing = printTrace(host.trace, o.err);
    const restoreConsole = captureConsole(console as unknown as Record<string, unknown>, (level, message) => host.trace.record('log', { source: 'console', level, message }));
    setCurrentHost(host);
    let code: number;
    try {
      this.introduce();
      code = await this.stages();
    } finally {
      // Callbacks that still run while things close may use the playground: the host stays until then.
      await Promise.race([host.shutdown(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      setCurrentHost(undefined);
      globals.clearAll();
      restoreConsole();
      printing.unsubscribe();
      delete (globalThis as Record<symbol, unknown>)[PROGRAM_GLOBALS];
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
      o.stop.removeEventListener('abort', onSignal);
      program.dispose();
      if (o.readyFile) rmSync(o.readyFile, { force: true });
    }
    if (o.tracePath) {
      writeFileSync(o.tracePath, JSON.stringify(traceToJSON(host.trace.events), null, 1));
      o.out(`trace: ${host.trace.length} events written to ${o.tracePath}`);
    }
    return code;
  }

  /** What runs where, and what real mode cannot do for this program. */
  private introduce(): void {
    const { host, o } = this;
    const scale = host.clock.timeScale === 1 ? '' : `, time ×${host.clock.timeScale}`;
    o.out(`spp: running ${this.program.file} on real infrastructure (seed ${JSON.stringify(host.seed)}${scale}; RabbitMQ at ${redact(o.amqpUrl)})`);
    if (hasBrokerFaults(host.faults)) o.out('note: the fault plan has broker faults (queues, broker); they cannot be applied to a real RabbitMQ and are ignored.');
    const inMemory = IN_MEMORY.filter((name) => this.program.mentions(name));
    if (inMemory.length > 0)
      o.out(`note: ${inMemory.map((n) => `${n}()`).join(', ')} ${inMemory.length === 1 ? 'keeps its' : 'keep their'} data (tables, events, saga logs) in this process's memory in real mode.`);
    if (CRASHABLE.some((name) => this.program.mentions(name)))
      o.out(
        "note: a service process's crash (a down window of the fault plan, or crash()) happens inside this Node process: the service stops listening, " +
          'what its process was awaiting is abandoned, and at the restart its onStart code runs again. The Node process, its memory and its broker connections carry on.',
      );
  }

  private async stages(): Promise<number> {
    const { host, program, o } = this;
    const loaded = await this.race(import(program.url) as Promise<{ default?: unknown }>).catch((e: unknown) => {
      this.fail(e);
      return { done: false as const, why: { kind: 'failure' as const } };
    });
    this.entered(); // in case the module failed before its first line
    if (!loaded.done) return this.ended(loaded.why, true);
    const listening = await this.race(host.listening()).catch((e: unknown) => {
      this.fail(e);
      return { done: false as const, why: { kind: 'failure' as const } };
    });
    if (!listening.done) return this.ended(listening.why, true);
    // A name the program quotes may be a service that main() makes later (served here once it exists).
    const notYet = (o.only ?? []).filter((name) => !host.serviceNames().includes(name));
    const unknown = notYet.filter((name) => !program.quotes(name));
    if (unknown.length > 0) {
      o.err(`Unknown service ${unknown.map((n) => `'${n}'`).join(', ')} in --only: ${program.file} has ${host.serviceNames().join(', ') || 'no services'}.`);
      return 1;
    }
    if (notYet.length > 0) o.out(`note: ${notYet.join(', ')} ${notYet.length === 1 ? 'is not a service yet' : 'are not services yet'}; this process serves ${notYet.length === 1 ? 'it' : 'them'} once the program makes ${notYet.length === 1 ? 'it' : 'them'}.`);
    host.clock.loaded();
    for (const { name, port } of listening.value) o.out(`${name} listens on port ${port}`);
    const onTheBus = host.busOnlyServicesHere();
    for (const name of onTheBus) o.out(`${name} runs here (on the event bus only)`);
    const main = loaded.value.default;
    if (typeof main !== 'function' && o.callMain && listening.value.length === 0 && host.amqp.openConnections === 0) {
      // Top-level code only, and nothing left that could receive work: the run is over.
      await this.drain();
      return this.failed ? 1 : 0;
    }
    this.markReady();
    if (typeof main !== 'function' || !o.callMain) {
      o.out(`Serving ${[...listening.value.map((s) => s.name), ...onTheBus].join(', ') || 'nothing'}. Press Ctrl+C to stop.`);
      return this.ended(await this.interrupted, false);
    }
    const result = await this.race(Promise.resolve().then(() => main())).catch((e: unknown) => {
      this.fail(e);
      return { done: false as const, why: { kind: 'failure' as const } };
    });
    if (!result.done) return this.ended(result.why, true);
    o.out(`main() returned ${JSON.stringify(jsonSafe(result.value), null, 2) ?? 'nothing'}`);
    await this.drain();
    return this.failed ? 1 : 0;
  }

  /** Tells a health check that this process serves (see {@link RunProgramOptions.readyFile}). */
  private markReady(): void {
    if (this.o.readyFile) writeFileSync(this.o.readyFile, `${this.host.serviceNames().filter((n) => this.host.runsHere(n)).join(',')}\n`);
  }

  /** Waits (up to `drainMs`) until no request is in progress, so late answers make it into the trace. */
  private async drain(): Promise<void> {
    const until = Date.now() + (this.o.drainMs ?? 3_000);
    while (this.host.busy > 0 && Date.now() < until && !this.failed && !this.o.stop.aborted) await new Promise((r) => setTimeout(r, 20));
  }

  private ended(why: Interruption, mainPending: boolean): number {
    if (why.kind === 'failure' || this.failed) return 1;
    this.o.out(mainPending ? 'Stopped before the program finished.' : 'Stopped.');
    if (!mainPending) return 0;
    return this.o.stop.reason === 'SIGTERM' ? 143 : 130;
  }
}
