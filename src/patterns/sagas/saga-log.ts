import type { SagaOutcome } from './saga-trace-events.js';

/**
 * A key-value table that outlives the process using it: a simulated
 * database. Nothing happens to it when a {@link ServiceProcess} crashes, so
 * what a service writes here is what it finds after a restart. (Variables of
 * the process are gone.) Reads and writes are immediate.
 *
 * @example
 * const sagas = new DurableStore<{ step: string }>('saga-log');
 * sagas.set('saga-1', { step: 'charge-payment' });
 * // … the orchestrator crashes and restarts …
 * for (const [id, saga] of sagas.entries()) resume(id, saga);
 */
export class DurableStore<V = unknown> {
  private readonly rows = new Map<string, V>();

  constructor(
    /** Name of the table (for messages). */
    readonly name = 'store',
  ) {}

  get(key: string): V | undefined {
    return this.rows.get(key);
  }

  set(key: string, value: V): this {
    this.rows.set(key, value);
    return this;
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  delete(key: string): boolean {
    return this.rows.delete(key);
  }

  /** Rows in the order they were first written. */
  entries(): [string, V][] {
    return [...this.rows.entries()];
  }

  keys(): string[] {
    return [...this.rows.keys()];
  }

  values(): V[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }
}

/** One line of a saga's log. Records are appended, never changed. */
export type SagaLogRecord =
  | { readonly type: 'started'; readonly saga: string; readonly input: unknown }
  | { readonly type: 'step-started'; readonly index: number; readonly attempt: number }
  | { readonly type: 'step-completed'; readonly index: number; readonly result: unknown }
  /** One attempt failed and the step will be tried again; `unknown`: that attempt may have taken effect. */
  | { readonly type: 'attempt-failed'; readonly index: number; readonly attempt: number; readonly error: string; readonly unknown: boolean }
  /** The step failed for good; `unknown`: it may have taken effect (timeout, interrupted by a crash). */
  | { readonly type: 'step-failed'; readonly index: number; readonly error: string; readonly unknown: boolean }
  | { readonly type: 'compensation-started'; readonly index: number; readonly attempt: number }
  | { readonly type: 'compensation-completed'; readonly index: number }
  | { readonly type: 'finished'; readonly outcome: SagaOutcome };

/**
 * Where an orchestrator keeps its sagas' logs. Appends must be durable: they
 * survive a crash of the orchestrator. {@link MemorySagaLog} is the simulated
 * one.
 */
export interface SagaLogStore {
  /** Adds a record at the end of the saga's log. */
  append(sagaId: string, record: SagaLogRecord): void;
  /** The saga's records, oldest first (empty when unknown). */
  read(sagaId: string): readonly SagaLogRecord[];
  /** Ids of sagas whose log has no `finished` record, oldest first. */
  unfinished(): string[];
}

/**
 * A saga log in a {@link DurableStore}: it survives crashes of the
 * orchestrator's process (keep it outside the process, as a database is).
 *
 * @example
 * const log = new MemorySagaLog();
 * const orchestrator = new SagaOrchestrator(sagaEnvOf(world), { service: 'order-orchestrator', definition, log });
 */
export class MemorySagaLog implements SagaLogStore {
  private readonly table: DurableStore<SagaLogRecord[]>;
  private readonly open = new Set<string>();

  constructor(table: DurableStore<SagaLogRecord[]> = new DurableStore('saga-log')) {
    this.table = table;
    for (const [id, records] of table.entries()) if (!records.some((r) => r.type === 'finished')) this.open.add(id);
  }

  append(sagaId: string, record: SagaLogRecord): void {
    let records = this.table.get(sagaId);
    if (!records) this.table.set(sagaId, (records = []));
    records.push(record);
    if (record.type === 'finished') this.open.delete(sagaId);
    else this.open.add(sagaId);
  }

  read(sagaId: string): readonly SagaLogRecord[] {
    return this.table.get(sagaId) ?? [];
  }

  unfinished(): string[] {
    return [...this.open];
  }
}

/** Where a saga stands, as its log says. */
export type SagaLogPhase =
  /**
   * Going forward; `next` is the step to run (equal to the number of steps
   * when all are done). `interrupted`: an attempt of it started and has no
   * outcome (the orchestrator crashed meanwhile). `attempts`: attempts made
   * so far; `maybe`: one of them may have taken effect.
   */
  | { readonly kind: 'forward'; readonly next: number; readonly interrupted: boolean; readonly attempts: number; readonly maybe: boolean }
  /** Undoing; `from` is the step that failed (compensations run for the steps before it, and for it when its outcome is unknown). */
  | { readonly kind: 'compensating'; readonly failed: number; readonly error: string }
  | { readonly kind: 'finished'; readonly outcome: SagaOutcome };

/** A saga's log folded into its state. */
export interface SagaLogState {
  saga: string;
  input: unknown;
  phase: SagaLogPhase;
  /** Results of completed steps, by index. */
  results: Map<number, unknown>;
  /** Steps whose outcome is unknown (they may have taken effect). */
  unknown: Set<number>;
  /** Steps whose compensation completed. */
  compensated: Set<number>;
  /** Compensation attempts made so far, by step. */
  compensationAttempts: Map<number, number>;
}

/**
 * Folds a saga's log into its state: which steps completed (never run again),
 * which step was interrupted (a `step-started` with no outcome after it), and
 * which compensations are done. Pure: the same log gives the same state.
 *
 * @example
 * const state = foldSagaLog(log.read('saga-3'));
 * if (state.phase.kind === 'forward' && state.phase.interrupted) … // a crash hit step `next`
 */
export function foldSagaLog(records: readonly SagaLogRecord[]): SagaLogState {
  const state: SagaLogState = {
    saga: '',
    input: undefined,
    phase: { kind: 'forward', next: 0, interrupted: false, attempts: 0, maybe: false },
    results: new Map(),
    unknown: new Set(),
    compensated: new Set(),
    compensationAttempts: new Map(),
  };
  let next = 0;
  let interrupted = false;
  let attempts = 0;
  let maybe = false;
  let failed: { index: number; error: string } | undefined;
  let outcome: SagaOutcome | undefined;
  for (const r of records) {
    switch (r.type) {
      case 'started':
        state.saga = r.saga;
        state.input = r.input;
        break;
      case 'step-started':
        if (r.index !== next) maybe = false;
        next = r.index;
        interrupted = true;
        attempts = r.attempt;
        break;
      case 'attempt-failed':
        interrupted = false;
        if (r.unknown) maybe = true;
        break;
      case 'step-completed':
        state.results.set(r.index, r.result);
        next = r.index + 1;
        interrupted = false;
        attempts = 0;
        maybe = false;
        break;
      case 'step-failed':
        if (r.unknown) state.unknown.add(r.index);
        failed = { index: r.index, error: r.error };
        interrupted = false;
        break;
      case 'compensation-started':
        state.compensationAttempts.set(r.index, r.attempt);
        break;
      case 'compensation-completed':
        state.compensated.add(r.index);
        break;
      case 'finished':
        outcome = r.outcome;
        break;
    }
  }
  if (outcome !== undefined) state.phase = { kind: 'finished', outcome };
  else if (failed !== undefined) state.phase = { kind: 'compensating', failed: failed.index, error: failed.error };
  else state.phase = { kind: 'forward', next, interrupted, attempts, maybe: maybe || interrupted };
  return state;
}
