import { jsonSafe } from '../../sim/network.js';
import { exponentialBackoff, type Backoff } from '../resilience/backoff.js';
import { isRetryable, isTimeout } from '../resilience/failure-predicates.js';
import { describeError, type RandomSource } from '../resilience/policy.js';
import { defineSaga, type ResolvedSaga, type ResolvedStep, type SagaDefinition, type SagaStepContext } from './saga-definition.js';
import { foldSagaLog, MemorySagaLog, type SagaLogRecord, type SagaLogState, type SagaLogStore } from './saga-log.js';
import type { OrchestratorEnv } from './saga-env.js';
import { ServiceProcess } from './saga-process.js';
import { SagaOrchestratorDownError, SagaStepTimeoutError } from './saga-errors.js';
import { SagaTracer, type StepRef } from './saga-tracer.js';
import type { SagaOutcome } from './saga-trace-events.js';

/** Options of a {@link SagaOrchestrator}. */
export interface SagaOrchestratorOptions<I> {
  /** The orchestrator's service: source of the `saga.*` events, the process that crashes. */
  service: string;
  definition: SagaDefinition<I> | ResolvedSaga<I>;
  /** Where the saga log is kept; default a new {@link MemorySagaLog} (durable: it survives crashes). */
  log?: SagaLogStore;
  /** The orchestrator's process; default a new {@link ServiceProcess} of `service`. */
  process?: ServiceProcess;
  /** Waits between retries of a step or a compensation; default exponential from 100 ms to 5 s with full jitter. */
  backoff?: Backoff;
  /** Random draws for the backoff's jitter; default the run's fork `saga:<service>`. */
  rng?: RandomSource;
  /** Which failures of a compensatable or pivot step are worth another attempt; default {@link isRetryable}. */
  isTransient?: (error: unknown) => boolean;
  /** Prefix of generated saga ids (`<prefix>-N`); default `saga`. */
  idPrefix?: string;
}

/** How a saga ended, as its log says. */
export interface SagaResult {
  sagaId: string;
  outcome: SagaOutcome;
  /** Results of the completed steps, by name. */
  results: Record<string, unknown>;
  /** The step whose failure started the compensation. */
  failedStep?: string;
  error?: string;
}

/** A promise that never settles: the code awaiting it belonged to a process that crashed. */
const halt = <T>(): Promise<T> => new Promise<T>(() => undefined);

type Attempt = { ok: true; value: unknown } | { ok: false; error: unknown; unknown: boolean };

/**
 * Runs sagas: ordered steps, each with an action and (before the pivot) a
 * compensation, coordinated by one orchestrator that writes every decision to
 * a durable saga log before acting on it.
 *
 * - Forward: steps run one after the other. A compensatable or pivot step
 *   whose failure is transient (or whose outcome is unknown) is tried again
 *   up to its `maxAttempts`; steps after the pivot are retried with backoff
 *   until they succeed.
 * - Backward: when a step before or at the pivot fails for good, the steps
 *   that completed (and a step whose outcome is unknown) are compensated in
 *   reverse order, each exactly once (retried until it succeeds). No forward
 *   step starts once compensation began.
 * - Crash: the orchestrator's {@link ServiceProcess} can crash (by the fault
 *   plan's down windows of its service, or by hand). In-flight work stops;
 *   at restart every unfinished saga resumes from the log: completed steps
 *   are not run again, an interrupted step is retried (pivot, retriable) or
 *   compensated (compensatable) according to its kind. This holds for a
 *   crash at any point, also one that happens synchronously in the middle of
 *   the orchestrator's own bookkeeping (a trace subscriber may crash it):
 *   the crashed incarnation writes nothing more, and every saga whose
 *   `started` record is in the log is resumed.
 *
 * Every step, retry, compensation, resume and end is a `saga.*` trace event
 * from the orchestrator to the step's service, correlated by saga id.
 *
 * @example
 * const orchestrator = new SagaOrchestrator<Order>(sagaEnvOf(world), {
 *   service: 'order-orchestrator',
 *   definition: {
 *     name: 'create-order',
 *     steps: [
 *       { name: 'charge-payment', service: 'payment-service',
 *         action: ({ input, idempotencyKey, signal }) => http.post('http://payment-service/payments', input, { headers: { 'Idempotency-Key': idempotencyKey }, signal }),
 *         compensate: ({ input }) => http.post(`http://payment-service/payments/${input.orderId}/refund`) },
 *       { name: 'reserve-items', service: 'inventory-service', action: … },   // pivot
 *       { name: 'complete-order', service: 'order-service', action: … },     // retriable
 *     ],
 *   },
 * });
 * const result = await orchestrator.execute(order); // { outcome: 'completed' | 'compensated', … }
 */
export class SagaOrchestrator<I = unknown> {
  readonly definition: ResolvedSaga<I>;
  readonly process: ServiceProcess;
  readonly log: SagaLogStore;
  /** The orchestrator's service name. */
  readonly service: string;
  private readonly tracer: SagaTracer;
  private readonly backoff: Backoff;
  private readonly rng: RandomSource;
  private readonly isTransient: (error: unknown) => boolean;
  private readonly idPrefix: string;
  private readonly waiters = new Map<string, Array<(r: SagaResult) => void>>();
  /** Saga id → incarnation of the process driving it. */
  private readonly driving = new Map<string, number>();

  constructor(
    private readonly env: OrchestratorEnv,
    options: SagaOrchestratorOptions<I>,
  ) {
    this.definition = 'pivot' in options.definition && typeof options.definition.pivot === 'number' ? (options.definition as ResolvedSaga<I>) : defineSaga(options.definition as SagaDefinition<I>);
    this.service = options.service;
    this.process = options.process ?? new ServiceProcess(env, options.service);
    this.log = options.log ?? new MemorySagaLog();
    this.tracer = new SagaTracer(env.trace, this.service, this.definition.name);
    this.backoff = options.backoff ?? exponentialBackoff({ initialMs: 100, maxMs: 5_000, jitter: 'full' });
    this.rng = options.rng ?? env.rng.fork(`saga:${this.service}`);
    this.isTransient = options.isTransient ?? isRetryable;
    this.idPrefix = options.idPrefix ?? 'saga';
    this.process.onStart(() => this.recover());
  }

  /**
   * Starts a saga (its log's first record is written now) and returns its
   * id. Throws {@link SagaOrchestratorDownError} while the process is down.
   */
  start(input: I, options: { sagaId?: string } = {}): string {
    if (!this.process.alive) throw new SagaOrchestratorDownError(this.service);
    const sagaId = options.sagaId ?? this.env.trace.nextId(this.idPrefix);
    if (this.log.read(sagaId).length > 0) throw new RangeError(`saga "${sagaId}" already exists`);
    const inc = this.process.incarnation;
    this.log.append(sagaId, { type: 'started', saga: this.definition.name, input: jsonSafe(input) });
    // The saga is durable from here on. Should the process crash inside the next
    // line (a trace subscriber may crash it), `drive` sees a stale incarnation and
    // leaves the saga to the recovery of the next start.
    this.tracer.started(sagaId, this.definition.steps.map((s) => s.name));
    void this.drive(sagaId, inc);
    return sagaId;
  }

  /** Starts a saga and resolves with its result when it finishes, crashes and restarts included. */
  execute(input: I, options: { sagaId?: string } = {}): Promise<SagaResult> {
    try {
      return this.whenFinished(this.start(input, options));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Resolves when the saga finishes (at once if its log says it has). The
   * promise belongs to the caller, not to the process: it survives crashes.
   */
  whenFinished(sagaId: string): Promise<SagaResult> {
    const state = foldSagaLog(this.log.read(sagaId));
    if (state.phase.kind === 'finished') return Promise.resolve(this.resultOf(sagaId, state));
    return new Promise<SagaResult>((resolve) => {
      let list = this.waiters.get(sagaId);
      if (!list) this.waiters.set(sagaId, (list = []));
      list.push(resolve);
    });
  }

  /** The saga's state as its log says (`undefined` for an unknown id). */
  state(sagaId: string): SagaLogState | undefined {
    const records = this.log.read(sagaId);
    return records.length === 0 ? undefined : foldSagaLog(records);
  }

  /**
   * Resumes every unfinished saga of the log that this incarnation of the
   * process is not already running. Called at every start of the process;
   * returns the ids resumed.
   */
  recover(): string[] {
    const resumed: string[] = [];
    const inc = this.process.incarnation;
    for (const sagaId of this.log.unfinished()) {
      // Crashed meanwhile (from a trace subscriber): the next start recovers the rest.
      if (this.stale(inc)) break;
      if (this.driving.get(sagaId) === inc) continue;
      const state = foldSagaLog(this.log.read(sagaId));
      const completed = [...state.results.keys()].sort((a, b) => a - b).map((i) => this.definition.steps[i]!.name);
      const phase = state.phase;
      if (phase.kind === 'forward') {
        const step = this.definition.steps[phase.next];
        if (!step) this.tracer.resumed(sagaId, 'finish', completed);
        else if (!phase.interrupted) this.tracer.resumed(sagaId, phase.attempts > 0 ? 'retry' : 'continue', completed, this.ref(step));
        else if (step.onInterrupt === 'retry') this.tracer.resumed(sagaId, 'retry', completed, this.ref(step));
        else {
          this.write(inc, sagaId, { type: 'step-failed', index: step.index, error: 'interrupted by a crash of the orchestrator', unknown: true });
          this.tracer.resumed(sagaId, 'compensate', completed, this.ref(step));
        }
      } else if (phase.kind === 'compensating') this.tracer.resumed(sagaId, 'compensate', completed, this.ref(this.definition.steps[phase.failed]!));
      resumed.push(sagaId);
      void this.drive(sagaId, inc);
    }
    return resumed;
  }

  private ref(step: ResolvedStep<I>): StepRef {
    return { step: step.name, service: step.service, index: step.index };
  }

  /**
   * Runs a saga from where its log stands until it finishes (or the process
   * crashes: then it just stops). `inc` is the incarnation that decided to
   * drive it; if that one has crashed already, the saga is left to the
   * recovery of the next start (and not marked as driven, or that recovery
   * would skip it).
   */
  private async drive(sagaId: string, inc: number): Promise<void> {
    if (this.stale(inc)) return;
    this.driving.set(sagaId, inc);
    const steps = this.definition.steps;
    let state = foldSagaLog(this.log.read(sagaId));
    while (state.phase.kind === 'forward') {
      const { next, attempts, maybe } = state.phase;
      if (next >= steps.length) return this.finish(inc, sagaId, 'completed');
      await this.forward(inc, sagaId, state, steps[next]!, attempts, maybe);
      state = foldSagaLog(this.log.read(sagaId));
    }
    if (state.phase.kind === 'compensating') {
      await this.compensate(inc, sagaId, state);
      this.finish(inc, sagaId, 'compensated');
    }
  }

  /**
   * Appends to the saga's log unless the incarnation `inc` has crashed (then
   * returns false and writes nothing). A trace subscriber may crash the
   * process while the orchestrator's code is still on the stack: what that
   * code would write next, a dead process never wrote.
   */
  private write(inc: number, sagaId: string, record: SagaLogRecord): boolean {
    if (this.stale(inc)) return false;
    this.log.append(sagaId, record);
    return true;
  }

  /** Runs one forward step to success (logs `step-completed`) or failure for good (logs `step-failed`). */
  private async forward(inc: number, sagaId: string, state: SagaLogState, step: ResolvedStep<I>, attemptsSoFar: number, maybe: boolean): Promise<void> {
    const ref = this.ref(step);
    let attempt = attemptsSoFar;
    let anyUnknown = maybe;
    let previousDelay = 0;
    for (;;) {
      attempt++;
      if (!this.write(inc, sagaId, { type: 'step-started', index: step.index, attempt })) return halt();
      this.tracer.step(sagaId, ref, attempt, step.kind);
      const startedAt = this.env.clock.now();
      const r = await this.attempt(inc, step, step.action, this.context(sagaId, state, step, attempt, ''));
      if (r.ok) {
        if (!this.write(inc, sagaId, { type: 'step-completed', index: step.index, result: jsonSafe(r.value) })) return halt();
        this.tracer.stepDone(sagaId, ref, attempt, this.env.clock.now() - startedAt);
        return;
      }
      anyUnknown ||= r.unknown;
      const again = r.unknown || this.isTransient(r.error);
      const retry =
        step.kind === 'retriable' ||
        (again && attempt < step.maxAttempts) ||
        // A pivot that cannot be undone must learn its outcome: keep asking while the answers say nothing.
        (again && anyUnknown && step.kind === 'pivot' && step.compensate === undefined);
      const error = describeError(r.error);
      // Log the decision before announcing it: what the trace says happened, a restart finds in the log.
      const record: SagaLogRecord = retry
        ? { type: 'attempt-failed', index: step.index, attempt, error, unknown: r.unknown }
        : { type: 'step-failed', index: step.index, error, unknown: anyUnknown };
      if (!this.write(inc, sagaId, record)) return halt();
      this.tracer.stepFailed(sagaId, ref, error, { attempt, outcome: r.unknown ? 'unknown' : 'failed', willRetry: retry });
      if (!retry) return;
      if (this.stale(inc)) return halt();
      previousDelay = this.backoff.delay(attempt, this.rng, previousDelay);
      this.tracer.retry(sagaId, ref, attempt + 1, previousDelay, 'forward');
      await this.process.sleep(previousDelay);
    }
  }

  /** Compensates, in reverse order, every step that completed or whose outcome is unknown, skipping those already compensated. */
  private async compensate(inc: number, sagaId: string, state: SagaLogState): Promise<void> {
    if (state.phase.kind !== 'compensating') return;
    for (let i = state.phase.failed; i >= 0; i--) {
      const step = this.definition.steps[i]!;
      const completed = state.results.has(i);
      if (!step.compensate || state.compensated.has(i) || (!completed && !state.unknown.has(i))) continue;
      const ref = this.ref(step);
      let attempt = state.compensationAttempts.get(i) ?? 0;
      let previousDelay = 0;
      for (;;) {
        attempt++;
        if (!this.write(inc, sagaId, { type: 'compensation-started', index: i, attempt })) return halt();
        this.tracer.compensation(sagaId, ref, attempt, completed ? 'completed' : 'outcome-unknown');
        const r = await this.attempt(inc, step, step.compensate, this.context(sagaId, state, step, attempt, ':compensation'));
        if (r.ok) {
          if (!this.write(inc, sagaId, { type: 'compensation-completed', index: i })) return halt();
          this.tracer.compensationDone(sagaId, ref, attempt);
          break;
        }
        this.tracer.compensationFailed(sagaId, ref, describeError(r.error), attempt);
        if (this.stale(inc)) return halt();
        previousDelay = this.backoff.delay(attempt, this.rng, previousDelay);
        this.tracer.retry(sagaId, ref, attempt + 1, previousDelay, 'compensation');
        await this.process.sleep(previousDelay);
      }
    }
  }

  /** True when the process crashed since `inc` (the code holding it must stop). */
  private stale(inc: number): boolean {
    return !this.process.alive || this.process.incarnation !== inc;
  }

  private context(sagaId: string, state: SagaLogState, step: ResolvedStep<I>, attempt: number, keySuffix: string): Omit<SagaStepContext<I>, 'signal'> {
    const results: Record<string, unknown> = {};
    for (const [i, v] of state.results) results[this.definition.steps[i]!.name] = v;
    return {
      sagaId,
      input: state.input as I,
      results,
      step: step.name,
      attempt,
      idempotencyKey: `${sagaId}:${step.name}${keySuffix}`,
    };
  }

  /** One call of an action or compensation under the step's timeout; never settles if the process crashes (or has since `inc`). */
  private attempt(inc: number, step: ResolvedStep<I>, fn: (ctx: SagaStepContext<I>) => unknown, base: Omit<SagaStepContext<I>, 'signal'>): Promise<Attempt> {
    if (this.stale(inc)) return halt();
    const controller = new AbortController();
    const ctx: SagaStepContext<I> = { ...base, signal: controller.signal };
    const timeoutMs = step.timeoutMs;
    const clock = this.env.clock;
    return this.process.guard(
      new Promise<Attempt>((resolve) => {
        let settled = false;
        const timer =
          timeoutMs === undefined
            ? undefined
            : clock.after(timeoutMs, () => {
                if (settled) return;
                settled = true;
                const error = new SagaStepTimeoutError(step.name, timeoutMs);
                controller.abort(error);
                resolve({ ok: false, error, unknown: true });
              });
        const done = (a: Attempt) => {
          if (settled) return;
          settled = true;
          timer?.cancel();
          resolve(a);
        };
        let result: unknown;
        try {
          result = fn(ctx);
        } catch (error) {
          done({ ok: false, error, unknown: isTimeout(error) });
          return;
        }
        Promise.resolve(result).then(
          (value) => done({ ok: true, value }),
          (error: unknown) => done({ ok: false, error, unknown: isTimeout(error) }),
        );
      }),
    );
  }

  private finish(inc: number, sagaId: string, outcome: SagaOutcome): void {
    if (!this.write(inc, sagaId, { type: 'finished', outcome })) return;
    const state = foldSagaLog(this.log.read(sagaId));
    const result = this.resultOf(sagaId, state);
    this.tracer.finished(sagaId, outcome, result.failedStep !== undefined ? { step: result.failedStep, error: result.error ?? '' } : undefined);
    this.driving.delete(sagaId);
    const list = this.waiters.get(sagaId);
    this.waiters.delete(sagaId);
    if (list) for (const resolve of list) resolve(result);
  }

  private resultOf(sagaId: string, state: SagaLogState): SagaResult {
    const results: Record<string, unknown> = {};
    for (const [i, v] of state.results) results[this.definition.steps[i]!.name] = v;
    const outcome = state.phase.kind === 'finished' ? state.phase.outcome : 'completed';
    const result: SagaResult = { sagaId, outcome, results };
    // The failed step: the last `step-failed` record of the log.
    const records = this.log.read(sagaId);
    for (let k = records.length - 1; k >= 0; k--) {
      const r = records[k]!;
      if (r.type === 'step-failed') {
        result.failedStep = this.definition.steps[r.index]!.name;
        result.error = r.error;
        break;
      }
    }
    return result;
  }
}
