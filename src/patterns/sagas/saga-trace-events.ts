/**
 * Trace event kinds of sagas (module augmentation of the kernel's
 * `TraceEventMap`).
 *
 * Orchestration events (`saga.start` … `saga.end`) have `source` = the
 * orchestrator's service, `target` = the service a step talks to, and
 * `correlationId` = the saga id, so the sequence diagram draws them as arrows
 * from the orchestrator to the participant; kinds whose name contains
 * "compensat" are drawn in the compensation style.
 *
 * `saga.effect` is how services say what they did to the world (charged a
 * card, reserved stock…): invariant checkers read the effects from the trace
 * instead of peeking into the services. `source` = the service that applied
 * the effect, `correlationId` = the order id. Order statuses are kernel
 * `state` events with `component` = `order:<orderId>`.
 */

/** How a step relates to the saga's point of no return. */
export type SagaStepKind =
  /** Before the pivot: undone by its compensation when a later step fails. */
  | 'compensatable'
  /** The go/no-go step: once it succeeded, the saga only goes forward. */
  | 'pivot'
  /** After the pivot: retried (with backoff) until it succeeds; never compensated. */
  | 'retriable';

/** How a saga ended. */
export type SagaOutcome = 'completed' | 'compensated';

/** Why a step's compensation runs. */
export type CompensationReason =
  /** The step completed. */
  | 'completed'
  /** The step may have taken effect: it timed out, or the orchestrator crashed while it ran. */
  | 'outcome-unknown';

/** What an effect did. */
export type SagaEffectKind =
  /** An order was placed (amount and items). */
  | 'place'
  /** Money was taken for an order. */
  | 'charge'
  /** Money was given back for an order. */
  | 'refund'
  /** Stock was set aside for an order. */
  | 'reserve'
  /** Stock set aside for an order was put back. */
  | 'release'
  /** Stock was added (the inventory's starting stock, deliveries). */
  | 'restock';

/** A line of an order, or a quantity of stock. */
export interface SagaItem {
  sku: string;
  qty: number;
}

/** Fields every orchestration event has. */
interface SagaFields {
  /** Name of the saga definition, e.g. `create-order`. */
  saga: string;
  sagaId: string;
}

/** Fields of events about one step. */
interface StepFields extends SagaFields {
  step: string;
  /** Position of the step in the definition (0-based), when known. */
  index?: number;
}

declare module '../../sim/trace.js' {
  interface TraceEventMap {
    /** A saga began (its log was written first). `detail`: the saga id and its steps, for labels. */
    'saga.start': SagaFields & { steps: string[]; detail?: string };
    /** A forward step's attempt began: the orchestrator asks the participant to act. */
    'saga.step': StepFields & { attempt: number; stepKind?: SagaStepKind };
    /** A forward step succeeded and its outcome was logged. */
    'saga.step-done': StepFields & { attempt: number; durationMs?: number };
    /** A forward step's attempt failed; `outcome` says whether it may have taken effect. */
    'saga.step-failed': StepFields & { attempt: number; error: string; outcome: 'failed' | 'unknown'; willRetry: boolean };
    /** The orchestrator will try a step (or a compensation) again after `delayMs`. */
    'saga.retry': StepFields & { attempt: number; delayMs: number; phase: 'forward' | 'compensation' };
    /** A step's compensation began. */
    'saga.compensation': StepFields & { attempt: number; reason: CompensationReason };
    /** A step's compensation succeeded and was logged. */
    'saga.compensation-done': StepFields & { attempt: number };
    /** A compensation attempt failed (it is retried until it succeeds). */
    'saga.compensation-failed': StepFields & { attempt: number; error: string };
    /** After a restart, the orchestrator picked a saga up from its log. */
    'saga.resume': SagaFields & {
      /** The step it resumes at, when one was interrupted or is next. */
      step?: string;
      index?: number;
      /** What it does: run the next step, retry the interrupted one, compensate, or finish. */
      decision: 'continue' | 'retry' | 'compensate' | 'finish';
      /** Steps the log shows as completed (they are not run again). */
      completed: string[];
      /** The decision in words, for labels. */
      detail?: string;
    };
    /** A saga finished. */
    'saga.end': SagaFields & { outcome: SagaOutcome; failedStep?: string; error?: string; detail?: string };
    /** A service applied an effect (see {@link SagaEffectKind}). */
    'saga.effect': {
      orderId: string;
      effect: SagaEffectKind;
      amount?: number;
      items?: SagaItem[];
      /** The message (event id, idempotency key) whose handling applied it. */
      messageId?: string;
      /** The effect in words (`charged 40 for o-1`), for labels. */
      detail?: string;
    };
  }
}

export {};
