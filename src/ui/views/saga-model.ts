import type { TraceEvent } from '../../sim/trace.js';
import { isSagaEvent, type SagaEvent } from './event-families.js';
import { prefixLength } from './trace-access.js';

/** Events of an orchestrated saga (all saga events but effects). */
type OrchestrationEvent = Exclude<SagaEvent, { kind: 'saga.effect' }>;

/** Events of an orchestrated saga about one of its steps. */
type StepEvent = Extract<OrchestrationEvent, { step: string }>;

/** Where one step of an orchestrated saga stands. */
export type SagaStepStatus = 'waiting' | 'running' | 'retrying' | 'done' | 'failed' | 'unknown' | 'compensating' | 'compensated';

/** One step of an orchestrated saga. */
export interface SagaStepView {
  name: string;
  status: SagaStepStatus;
  /** Forward attempts so far. */
  attempts: number;
  /** Compensation attempts so far. */
  compensations: number;
  /** `seq` of the last event about this step (to show it in the trace). */
  lastSeq?: number;
  /** The last error of this step, when one failed. */
  error?: string;
}

/** One orchestrated saga (from `saga.*` events). */
export interface OrchestratedSagaView {
  sagaId: string;
  /** Name of the saga definition. */
  saga: string;
  /** The orchestrator's service. */
  orchestrator?: string;
  status: 'running' | 'compensating' | 'completed' | 'compensated';
  steps: SagaStepView[];
  /** How often the orchestrator picked this saga up again after a restart. */
  resumes: number;
  start: number;
  end?: number;
  /** `seq` of the event that set the status. */
  statusSeq: number;
  failedStep?: string;
  error?: string;
}

/** A participant's state of one business key (from `state` events with component `<entity>:<key>`). */
export interface KeyStateView {
  state: string;
  /** Every state it went through, oldest first, with the event that set it. */
  history: Array<{ state: string; seq: number; time: number }>;
}

/** One business effect (from `saga.effect` events). */
export interface EffectView {
  service: string;
  effect: string;
  detail: string;
  seq: number;
  /**
   * Why this effect looks wrong, if it does: the same service already applied one of this kind to
   * this key (a second charge), or it undoes what was never done (a refund with no charge before it).
   */
  warning?: string;
}

/** Effects that undo another kind, and the kind they undo. */
const UNDOES = new Map([
  ['refund', 'charge'],
  ['release', 'reserve'],
]);

/** A business key as text: user code may correlate by a number. */
function keyOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** Everything the trace says about one business key (an order). */
export interface SagaFlowView {
  key: string;
  /** By entity (`order`, `payment-service`, …). */
  states: Map<string, KeyStateView>;
  effects: EffectView[];
  /** The key's overall tone: finished well, finished badly, or still open. */
  tone: StateTone;
}

/** The saga board at a scrub time. */
export interface SagaBoard {
  orchestrated: OrchestratedSagaView[];
  /** Entities with states, in the order first seen (the columns of the per-key table). */
  entities: string[];
  /** Business keys, in the order first seen. */
  flows: SagaFlowView[];
}

/** How a state reads at a glance. */
export type StateTone = 'ok' | 'bad' | 'open';

const OK = /^(completed?|done|paid|charged|reserved|confirmed|shipped|succeeded|success|approved)$/i;
const BAD = /^(cancel+ed|failed|declined|refunded|released|unavailable|rejected|compensated|voided?|aborted|timed[- ]?out)$/i;

/** `completed`, `reserved` … read as good; `cancelled`, `refunded` … as bad; anything else as still open. */
export function stateTone(state: string): StateTone {
  if (OK.test(state)) return 'ok';
  if (BAD.test(state)) return 'bad';
  return 'open';
}

/**
 * Reads the sagas of a trace up to `until`: each orchestrated saga with its
 * steps (waiting, running, retrying, done, failed, compensating,
 * compensated), and for each business key (order id) the state every
 * participant holds for it and the effects applied to it. State events
 * count when their component is `<entity>:<key>` and their correlation id
 * is the key (as `SagaParticipant` and `EffectRecorder` record them).
 *
 * @example
 * const board = sagaBoard(world.events);
 * board.flows.find((f) => f.key === 'o-1')?.states.get('order')?.state; // 'completed'
 */
export function sagaBoard(events: readonly TraceEvent[], until?: number): SagaBoard {
  const end = prefixLength(events, until);
  const sagas = new Map<string, OrchestratedSagaView>();
  const flows = new Map<string, SagaFlowView>();
  const entities: string[] = [];
  const flow = (key: string): SagaFlowView => {
    let f = flows.get(key);
    if (!f) flows.set(key, (f = { key, states: new Map(), effects: [], tone: 'open' }));
    return f;
  };
  const sagaOf = (e: OrchestrationEvent): OrchestratedSagaView => {
    let s = sagas.get(e.sagaId);
    if (!s) {
      s = { sagaId: e.sagaId, saga: e.saga, status: 'running', steps: [], resumes: 0, start: e.time, statusSeq: e.seq };
      if (e.source !== undefined) s.orchestrator = e.source;
      sagas.set(e.sagaId, s);
    }
    return s;
  };
  const stepOf = (s: OrchestratedSagaView, e: StepEvent): SagaStepView => {
    let step = s.steps.find((x) => x.name === e.step);
    if (!step) s.steps.push((step = { name: e.step, status: 'waiting', attempts: 0, compensations: 0 }));
    step.lastSeq = e.seq;
    return step;
  };

  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (e.kind === 'state') {
      const { component } = e;
      const key = keyOf(e.correlationId);
      if (key === undefined || !component.endsWith(`:${key}`) || component.length === key.length + 1) continue;
      const entity = component.slice(0, component.length - key.length - 1);
      if (!entities.includes(entity)) entities.push(entity);
      const f = flow(key);
      let st = f.states.get(entity);
      if (!st) f.states.set(entity, (st = { state: 'none', history: [] }));
      st.state = e.to;
      st.history.push({ state: st.state, seq: e.seq, time: e.time });
      continue;
    }
    if (e.kind === 'saga.effect') {
      const key = keyOf(e.orderId) || keyOf(e.correlationId);
      if (!key) continue; // restocks belong to no order
      const f = flow(key);
      const service = e.source ?? '?';
      const { effect } = e;
      const view: EffectView = { service, effect, detail: e.detail ?? effect, seq: e.seq };
      const undone = UNDOES.get(effect);
      if (f.effects.some((x) => x.service === service && x.effect === effect)) view.warning = `${service} already did this for ${key}`;
      else if (undone !== undefined && !f.effects.some((x) => x.effect === undone)) view.warning = `nothing to undo: no ${undone} for ${key} before it`;
      f.effects.push(view);
      continue;
    }
    if (!isSagaEvent(e)) continue;
    const s = sagaOf(e);
    switch (e.kind) {
      case 'saga.start': {
        for (const name of e.steps) if (!s.steps.some((x) => x.name === name)) s.steps.push({ name, status: 'waiting', attempts: 0, compensations: 0 });
        s.start = e.time;
        break;
      }
      case 'saga.step': {
        const step = stepOf(s, e);
        step.status = 'running';
        step.attempts = Math.max(step.attempts, e.attempt);
        break;
      }
      case 'saga.step-done':
        stepOf(s, e).status = 'done';
        break;
      case 'saga.step-failed': {
        const step = stepOf(s, e);
        step.status = e.willRetry ? 'retrying' : e.outcome === 'unknown' ? 'unknown' : 'failed';
        step.error = e.error;
        break;
      }
      case 'saga.retry': {
        const step = stepOf(s, e);
        if (e.phase !== 'compensation') step.status = 'retrying';
        break;
      }
      case 'saga.compensation': {
        const step = stepOf(s, e);
        step.status = 'compensating';
        step.compensations = Math.max(step.compensations, e.attempt);
        if (s.status === 'running') {
          s.status = 'compensating';
          s.statusSeq = e.seq;
        }
        break;
      }
      case 'saga.compensation-done':
        stepOf(s, e).status = 'compensated';
        break;
      case 'saga.compensation-failed':
        stepOf(s, e).error = e.error;
        break;
      case 'saga.resume':
        s.resumes++;
        break;
      case 'saga.end': {
        s.status = e.outcome === 'compensated' ? 'compensated' : 'completed';
        s.statusSeq = e.seq;
        s.end = e.time;
        if (e.failedStep !== undefined) s.failedStep = e.failedStep;
        if (e.error !== undefined) s.error = e.error;
        break;
      }
      default: {
        const unhandled: never = e;
        void unhandled;
      }
    }
  }

  for (const f of flows.values()) f.tone = flowTone(f);
  return { orchestrated: [...sagas.values()], entities, flows: [...flows.values()] };
}

/** A key reads as the state of its order (or, with no `order` entity, of its first entity). */
function flowTone(f: SagaFlowView): StateTone {
  const main = f.states.get('order') ?? f.states.values().next().value;
  if (main !== undefined) return stateTone(main.state);
  return 'open';
}
