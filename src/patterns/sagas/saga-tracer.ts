import type { TraceInput, TraceRecorder } from '../../sim/trace.js';
import type { CompensationReason, SagaOutcome, SagaStepKind } from './saga-trace-events.js';
import './saga-trace-events.js';

/** Where a step sits, for the trace. */
export interface StepRef {
  step: string;
  /** The service the step talks to. */
  service: string;
  /** Position in the saga (0-based), when known. */
  index?: number;
}

/**
 * Records the `saga.*` events of an orchestrator, with `source` = the
 * orchestrator's service, `target` = the step's service and `correlationId`
 * = the saga id. {@link SagaOrchestrator} uses one; a hand-written
 * orchestrator can too, so its steps and compensations show in the sequence
 * diagram (compensations in their own style) and the checks can read them.
 *
 * @example
 * const saga = new SagaTracer(world.trace, 'order-orchestrator', 'create-order');
 * saga.started(sagaId, ['charge-payment', 'reserve-items']);
 * saga.step(sagaId, { step: 'charge-payment', service: 'payment-service' });
 * saga.compensation(sagaId, { step: 'charge-payment', service: 'payment-service' });
 */
export class SagaTracer {
  constructor(
    private readonly trace: TraceRecorder,
    /** The orchestrator's service. */
    readonly orchestrator: string,
    /** Name of the saga definition. */
    readonly saga = 'saga',
  ) {}

  /** A saga began. */
  started(sagaId: string, steps: readonly string[] = []): void {
    const detail = steps.length > 0 ? `${sagaId}: ${steps.join(' → ')}` : sagaId;
    this.trace.record('saga.start', { source: this.orchestrator, correlationId: sagaId, saga: this.saga, sagaId, steps: [...steps], detail });
  }

  /** A step's attempt began. */
  step(sagaId: string, ref: StepRef, attempt = 1, stepKind?: SagaStepKind): void {
    const f = this.stepFields(sagaId, ref);
    this.trace.record('saga.step', stepKind === undefined ? { ...f, attempt } : { ...f, attempt, stepKind });
  }

  /** A step succeeded. */
  stepDone(sagaId: string, ref: StepRef, attempt = 1, durationMs?: number): void {
    const f = this.stepFields(sagaId, ref);
    this.trace.record('saga.step-done', durationMs === undefined ? { ...f, attempt } : { ...f, attempt, durationMs });
  }

  /** A step's attempt failed; `outcome: 'unknown'` when it may have taken effect. */
  stepFailed(sagaId: string, ref: StepRef, error: string, options: { attempt?: number; outcome?: 'failed' | 'unknown'; willRetry?: boolean } = {}): void {
    this.trace.record('saga.step-failed', { ...this.stepFields(sagaId, ref), attempt: options.attempt ?? 1, error, outcome: options.outcome ?? 'failed', willRetry: options.willRetry ?? false });
  }

  /** A step or a compensation will be tried again after `delayMs`. */
  retry(sagaId: string, ref: StepRef, attempt: number, delayMs: number, phase: 'forward' | 'compensation' = 'forward'): void {
    this.trace.record('saga.retry', { ...this.stepFields(sagaId, ref), attempt, delayMs, phase });
  }

  /** A step's compensation began. */
  compensation(sagaId: string, ref: StepRef, attempt = 1, reason: CompensationReason = 'completed'): void {
    this.trace.record('saga.compensation', { ...this.stepFields(sagaId, ref), attempt, reason });
  }

  /** A step's compensation succeeded. */
  compensationDone(sagaId: string, ref: StepRef, attempt = 1): void {
    this.trace.record('saga.compensation-done', { ...this.stepFields(sagaId, ref), attempt });
  }

  /** A compensation attempt failed. */
  compensationFailed(sagaId: string, ref: StepRef, error: string, attempt = 1): void {
    this.trace.record('saga.compensation-failed', { ...this.stepFields(sagaId, ref), attempt, error });
  }

  /** After a restart, a saga was picked up from the log. */
  resumed(sagaId: string, decision: 'continue' | 'retry' | 'compensate' | 'finish', completed: readonly string[], at?: StepRef): void {
    const done = completed.length > 0 ? ` (done: ${completed.join(', ')})` : '';
    const detail = `${sagaId}: ${decision}${at ? ` at ${at.step}` : ''}${done}`;
    const f: TraceInput<'saga.resume'> = { source: this.orchestrator, correlationId: sagaId, saga: this.saga, sagaId, decision, completed: [...completed], detail };
    if (at) {
      f.target = at.service;
      f.step = at.step;
      if (at.index !== undefined) f.index = at.index;
    }
    this.trace.record('saga.resume', f);
  }

  /** A saga finished. */
  finished(sagaId: string, outcome: SagaOutcome, failure?: { step: string; error: string }): void {
    this.trace.record(
      'saga.end',
      failure
        ? { source: this.orchestrator, correlationId: sagaId, saga: this.saga, sagaId, outcome, failedStep: failure.step, error: failure.error, detail: `${sagaId} ${outcome} (${failure.step} failed)` }
        : { source: this.orchestrator, correlationId: sagaId, saga: this.saga, sagaId, outcome, detail: `${sagaId} ${outcome}` },
    );
  }

  private stepFields(sagaId: string, ref: StepRef) {
    const f: { source: string; target: string; correlationId: string; saga: string; sagaId: string; step: string; index?: number } = {
      source: this.orchestrator,
      target: ref.service,
      correlationId: sagaId,
      saga: this.saga,
      sagaId,
      step: ref.step,
    };
    if (ref.index !== undefined) f.index = ref.index;
    return f;
  }
}
