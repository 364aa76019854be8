import type { TraceEvent } from '../../sim/trace.js';
import type { InvariantId, InvariantViolation } from './invariant-types.js';
import '../sagas/saga-trace-events.js';
import { memoByTrace } from './trace-memo.js';

interface StepTrack {
  step: string;
  /** Position: the step's index, or the order in which its first attempt started. */
  position: number;
  starts: number[];
  done: number[];
  /** Attempts whose outcome may have taken effect (timed out), or that never reported one. */
  maybe: boolean;
  /** Attempts started minus attempts that reported an outcome. */
  open: number;
  compensations: number[];
  compensationsDone: number[];
}

interface SagaTrack {
  sagaId: string;
  start?: number;
  end?: number;
  steps: Map<string, StepTrack>;
  firstCompensation?: number;
  /** Distinct steps in the order their compensation first began. */
  compensationOrder: StepTrack[];
}

/**
 * The invariants of an orchestrated saga, judged from its `saga.*` events
 * (from {@link SagaOrchestrator} or a hand-written orchestrator that records
 * them with a {@link SagaTracer}):
 *
 * - `saga-compensates-started-steps-only`: a step is compensated only if it
 *   completed, or an attempt of it may have taken effect (timed out, or was
 *   left without an outcome by a crash);
 * - `saga-compensates-once`: no step's compensation completes twice;
 * - `saga-compensation-reverse-order`: compensations begin in the reverse
 *   order of the steps;
 * - `saga-no-step-after-compensation`: no forward step starts once
 *   compensation began;
 * - `saga-completed-step-not-redone`: a step that completed is not started again;
 * - `saga-finished` (at quiescence): every saga that started has ended.
 */
export function checkSagaLog(events: readonly TraceEvent[], quiescent = true): InvariantViolation[] {
  return quiescent ? atQuiescence(events) : midRun(events);
}

// Read once per trace (and per reading), as the checks of one run ask many times.
const atQuiescence = memoByTrace((events) => readSagaLog(events, true));
const midRun = memoByTrace((events) => readSagaLog(events, false));

function readSagaLog(events: readonly TraceEvent[], quiescent: boolean): InvariantViolation[] {
  const sagas = new Map<string, SagaTrack>();
  const out: InvariantViolation[] = [];
  const sagaOf = (sagaId: string): SagaTrack => {
    let s = sagas.get(sagaId);
    if (!s) sagas.set(sagaId, (s = { sagaId, steps: new Map(), compensationOrder: [] }));
    return s;
  };
  const stepOf = (s: SagaTrack, step: string, index: number | undefined): StepTrack => {
    let t = s.steps.get(step);
    if (!t) s.steps.set(step, (t = { step, position: index ?? s.steps.size, starts: [], done: [], maybe: false, open: 0, compensations: [], compensationsDone: [] }));
    return t;
  };
  const violation = (invariant: InvariantId, sagaId: string, message: string, eventSeqs: number[]) =>
    out.push({ invariant, sagaId, message, eventSeqs: [...new Set(eventSeqs)].sort((a, b) => a - b) });

  for (const e of events) {
    // Most events are not the orchestrator's: a cheap first test.
    if (e.kind.charCodeAt(0) !== 115 /* s */ || !e.kind.startsWith('saga.') || e.kind === 'saga.effect') continue;
    switch (e.kind) {
      case 'saga.start':
        sagaOf(e.sagaId).start ??= e.seq;
        break;
      case 'saga.end':
        sagaOf(e.sagaId).end = e.seq;
        break;
      case 'saga.step': {
        const s = sagaOf(e.sagaId);
        const t = stepOf(s, e.step, e.index);
        if (s.firstCompensation !== undefined)
          violation('saga-no-step-after-compensation', e.sagaId, `saga ${e.sagaId} started step "${e.step}" after its compensation had begun`, [s.firstCompensation, e.seq]);
        if (t.done.length > 0) violation('saga-completed-step-not-redone', e.sagaId, `saga ${e.sagaId} ran step "${e.step}" again after it had completed`, [...t.done, e.seq]);
        t.starts.push(e.seq);
        t.open++;
        break;
      }
      case 'saga.step-done': {
        const t = stepOf(sagaOf(e.sagaId), e.step, e.index);
        t.done.push(e.seq);
        if (t.open > 0) t.open--;
        break;
      }
      case 'saga.step-failed': {
        const t = stepOf(sagaOf(e.sagaId), e.step, e.index);
        if (e.outcome === 'unknown') t.maybe = true;
        if (t.open > 0) t.open--;
        break;
      }
      case 'saga.resume':
        // Whatever was in flight when the orchestrator crashed may have taken effect.
        for (const t of sagaOf(e.sagaId).steps.values()) if (t.open > 0) t.maybe = true;
        break;
      case 'saga.compensation': {
        const s = sagaOf(e.sagaId);
        const t = stepOf(s, e.step, e.index);
        s.firstCompensation ??= e.seq;
        if (t.compensations.length === 0) {
          const previous = s.compensationOrder[s.compensationOrder.length - 1];
          if (previous !== undefined && t.position > previous.position)
            violation(
              'saga-compensation-reverse-order',
              e.sagaId,
              `saga ${e.sagaId} compensated "${e.step}" after "${previous.step}", but "${e.step}" came later in the saga: compensations must run in reverse order`,
              [previous.compensations[0]!, e.seq],
            );
          s.compensationOrder.push(t);
          const unstarted = t.starts.length === 0;
          if (unstarted || (t.done.length === 0 && !t.maybe && t.open === 0))
            violation(
              'saga-compensates-started-steps-only',
              e.sagaId,
              unstarted
                ? `saga ${e.sagaId} compensated "${e.step}", a step that never ran`
                : `saga ${e.sagaId} compensated "${e.step}", which failed without taking effect: there is nothing to undo`,
              [...t.starts, e.seq],
            );
        }
        t.compensations.push(e.seq);
        break;
      }
      case 'saga.compensation-done': {
        const t = stepOf(sagaOf(e.sagaId), e.step, e.index);
        t.compensationsDone.push(e.seq);
        if (t.compensationsDone.length === 2) violation('saga-compensates-once', e.sagaId, `saga ${e.sagaId} compensated "${e.step}" twice`, [...t.compensationsDone]);
        break;
      }
    }
  }
  if (quiescent)
    for (const s of sagas.values())
      if (s.start !== undefined && s.end === undefined) {
        const last: number[] = [];
        for (const t of s.steps.values()) last.push(...t.starts.slice(-1), ...t.done.slice(-1), ...t.compensations.slice(-1));
        violation('saga-finished', s.sagaId, `saga ${s.sagaId} never ended: it was left half-done`, [s.start, ...last]);
      }
  return out;
}
