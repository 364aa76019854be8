import { InvalidOptionError } from '../options.js';
import type { SagaStepKind } from './saga-trace-events.js';

/** What a step's action (or compensation) is given. */
export interface SagaStepContext<I> {
  readonly sagaId: string;
  /** The saga's input (as logged: a JSON copy). */
  readonly input: I;
  /** Results of the steps completed so far, by step name (as logged). */
  readonly results: Readonly<Record<string, unknown>>;
  readonly step: string;
  /** Attempt number of this action or compensation, from 1. */
  readonly attempt: number;
  /**
   * The same for every attempt of this step (and distinct for its
   * compensation): send it as an `Idempotency-Key` so the participant applies
   * the step once however often it is asked.
   */
  readonly idempotencyKey: string;
  /** Aborted when the step's timeout fires: pass it to `http.post(url, body, { signal })`. */
  readonly signal: AbortSignal;
}

/** One step of a saga. */
export interface SagaStep<I = unknown> {
  /** Name, unique in the saga (shown in the trace). */
  name: string;
  /** The service the step talks to (the target of its trace events). */
  service: string;
  /** Does the step's work; resolves with a result (logged) or rejects when it failed. */
  action: (ctx: SagaStepContext<I>) => unknown;
  /**
   * Undoes the step's work. It must be idempotent and harmless when the
   * action never took effect: it also runs when the action's outcome is
   * unknown (a timeout, a crash of the orchestrator while the step ran).
   * Retried until it succeeds.
   */
  compensate?: (ctx: SagaStepContext<I>) => unknown;
  /** Time limit of one attempt in ms (its outcome is then unknown); default the saga's `stepTimeoutMs`. */
  timeoutMs?: number;
  /**
   * Attempts before a compensatable or pivot step counts as failed; only
   * errors that `isTransient` accepts and timeouts are retried. Default: the
   * saga's `maxAttempts`. Retriable steps ignore it (retried until they succeed).
   */
  maxAttempts?: number;
  /**
   * What to do when the orchestrator restarts and finds this step started
   * but not finished. Default: `'retry'` for pivot and retriable steps (their
   * actions must be idempotent), `'compensate'` for compensatable ones.
   */
  onInterrupt?: 'retry' | 'compensate';
}

/** A saga: ordered steps, the first part compensatable, then a pivot, then retriable steps. */
export interface SagaDefinition<I = unknown> {
  /** Name in the trace. */
  name: string;
  steps: SagaStep<I>[];
  /**
   * The go/no-go step: steps before it are compensatable (each needs a
   * compensation), steps after it are retried until they succeed. Default:
   * the first step without a compensation; when every step has one, there is
   * no pivot and every step is compensatable.
   */
  pivot?: string;
  /** Default per-attempt timeout of every step (ms); none when absent. */
  stepTimeoutMs?: number;
  /** Default attempts of compensatable and pivot steps; default 3. */
  maxAttempts?: number;
}

/** A step with its place in the saga worked out. */
export interface ResolvedStep<I> extends SagaStep<I> {
  index: number;
  kind: SagaStepKind;
  onInterrupt: 'retry' | 'compensate';
  maxAttempts: number;
  timeoutMs: number | undefined;
}

/** A checked saga definition. */
export interface ResolvedSaga<I> {
  name: string;
  steps: ResolvedStep<I>[];
  /** Index of the pivot step, or -1 when there is none. */
  pivot: number;
}

/**
 * Checks a saga definition and works out each step's kind: compensatable
 * before the pivot, `pivot`, retriable after it. Throws an
 * {@link InvalidOptionError} saying what is wrong.
 *
 * @example
 * const saga = defineSaga({
 *   name: 'create-order',
 *   steps: [
 *     { name: 'create-order', service: 'order-service', action: …, compensate: … },
 *     { name: 'charge-payment', service: 'payment-service', action: …, compensate: … },
 *     { name: 'reserve-items', service: 'inventory-service', action: … }, // pivot: no compensation
 *     { name: 'complete-order', service: 'order-service', action: … },   // retriable
 *   ],
 * });
 */
export function defineSaga<I>(definition: SagaDefinition<I>): ResolvedSaga<I> {
  const owner = 'saga';
  if (typeof definition !== 'object' || definition === null) throw new InvalidOptionError(owner, 'definition', 'an object with name and steps', definition);
  if (typeof definition.name !== 'string' || definition.name === '') throw new InvalidOptionError(owner, 'name', 'a non-empty string', definition.name);
  const steps = definition.steps;
  if (!Array.isArray(steps) || steps.length === 0) throw new InvalidOptionError(owner, 'steps', 'a non-empty array of steps', steps);
  const names = new Set<string>();
  steps.forEach((s, i) => {
    const p = `steps[${i}]`;
    if (typeof s !== 'object' || s === null) throw new InvalidOptionError(owner, p, 'a step object', s);
    if (typeof s.name !== 'string' || s.name === '') throw new InvalidOptionError(owner, `${p}.name`, 'a non-empty string', s.name);
    if (names.has(s.name)) throw new InvalidOptionError(owner, `${p}.name`, 'a name no other step has', s.name);
    names.add(s.name);
    if (typeof s.service !== 'string' || s.service === '') throw new InvalidOptionError(owner, `${p}.service`, 'the name of the service the step talks to', s.service);
    if (typeof s.action !== 'function') throw new InvalidOptionError(owner, `${p}.action`, 'a function', s.action);
    if (s.compensate !== undefined && typeof s.compensate !== 'function') throw new InvalidOptionError(owner, `${p}.compensate`, 'a function or absent', s.compensate);
    if (s.timeoutMs !== undefined && !(typeof s.timeoutMs === 'number' && s.timeoutMs > 0)) throw new InvalidOptionError(owner, `${p}.timeoutMs`, 'a number > 0', s.timeoutMs);
    if (s.maxAttempts !== undefined && !(Number.isInteger(s.maxAttempts) && s.maxAttempts >= 1) && s.maxAttempts !== Infinity)
      throw new InvalidOptionError(owner, `${p}.maxAttempts`, 'an integer ≥ 1 (or Infinity)', s.maxAttempts);
    if (s.onInterrupt !== undefined && s.onInterrupt !== 'retry' && s.onInterrupt !== 'compensate') throw new InvalidOptionError(owner, `${p}.onInterrupt`, '"retry" or "compensate"', s.onInterrupt);
  });
  let pivot: number;
  if (definition.pivot !== undefined) {
    pivot = steps.findIndex((s) => s.name === definition.pivot);
    if (pivot < 0) throw new InvalidOptionError(owner, 'pivot', `the name of one of the steps (${[...names].join(', ')})`, definition.pivot);
  } else pivot = steps.findIndex((s) => s.compensate === undefined);
  for (let i = 0; i < (pivot < 0 ? steps.length : pivot); i++)
    if (steps[i]!.compensate === undefined) throw new InvalidOptionError(owner, `steps[${i}].compensate`, `a function: "${steps[i]!.name}" comes before the pivot, so it must be undone when a later step fails`, undefined);
  const stepTimeout = definition.stepTimeoutMs;
  if (stepTimeout !== undefined && !(typeof stepTimeout === 'number' && stepTimeout > 0)) throw new InvalidOptionError(owner, 'stepTimeoutMs', 'a number > 0', stepTimeout);
  const maxAttempts = definition.maxAttempts ?? 3;
  if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1) && maxAttempts !== Infinity) throw new InvalidOptionError(owner, 'maxAttempts', 'an integer ≥ 1 (or Infinity)', maxAttempts);
  return {
    name: definition.name,
    pivot,
    steps: steps.map((s, index) => {
      const kind: SagaStepKind = pivot < 0 || index < pivot ? 'compensatable' : index === pivot ? 'pivot' : 'retriable';
      return {
        ...s,
        index,
        kind,
        onInterrupt: s.onInterrupt ?? (kind === 'compensatable' ? 'compensate' : 'retry'),
        maxAttempts: kind === 'retriable' ? Infinity : (s.maxAttempts ?? maxAttempts),
        timeoutMs: s.timeoutMs ?? stepTimeout,
      };
    }),
  };
}
