import { Subject, type Observable } from 'rxjs';
import type { TraceRecorder } from '../../sim/trace.js';
import type { OpenReason, OutcomeWindow } from './breaker-window.js';
import type { BrokenCircuitError } from './errors.js';
import { describeError } from './policy.js';
import type { BreakerCallOutcome, BreakerStateKind } from './trace-events.js';

/** Why a breaker's state changed. */
export type TransitionReason =
  | OpenReason
  | 'breakElapsed'
  | 'trialFailed'
  | 'trialsSucceeded'
  | 'halfOpenTimeout'
  | 'isolated'
  | 'reset';

/**
 * Everything a breaker reports on `events$`. `state` in a call event is the
 * state in which the call was admitted; `stale` marks a call that started in
 * an earlier state: it is reported but changed nothing.
 */
export type BreakerEvent =
  | { type: 'stateChange'; breaker: string; time: number; from: BreakerStateKind; to: BreakerStateKind; reason: TransitionReason; nextAttemptAt?: number }
  | { type: 'success'; breaker: string; time: number; state: BreakerStateKind; durationMs: number; slow: boolean; stale: boolean }
  | { type: 'failure'; breaker: string; time: number; state: BreakerStateKind; durationMs: number; slow: boolean; stale: boolean; error?: unknown; result?: unknown }
  | { type: 'ignored'; breaker: string; time: number; state: BreakerStateKind; durationMs: number; stale: boolean; error: unknown }
  | { type: 'rejected'; breaker: string; time: number; state: 'open' | 'halfOpen' | 'isolated'; retryAt: number | undefined };

/** How a call the breaker let through counts. */
export type CallVerdict = Exclude<BreakerCallOutcome, 'rejected'>;

/** How a call ended: it threw (its value is an error) or returned (its value is a result). */
export type CallEnding = 'threw' | 'returned';

/** A finished call, for {@link BreakerReporter.call}. */
export interface CallReport {
  /** Virtual time at which it finished. */
  time: number;
  verdict: CallVerdict;
  /** The state in which the breaker let it through. */
  admittedIn: BreakerStateKind;
  durationMs: number;
  slow: boolean;
  /** It started in a state that has ended since: it changed nothing. */
  stale: boolean;
  ending: CallEnding;
  /** The error it threw or the result it returned. */
  value: unknown;
}

/** A change of state, for {@link BreakerReporter.stateChange}. */
export interface StateChangeReport {
  from: BreakerStateKind;
  to: BreakerStateKind;
  /** Virtual time of the change. */
  time: number;
  reason: TransitionReason;
  /** When an open breaker lets trial calls through (only for `to: 'open'`). */
  nextAttemptAt: number | undefined;
  /** The breaker's window: the trace shows its contents, so a timeline can say why the breaker opened. */
  window: OutcomeWindow;
}

/**
 * Tells what a breaker does: `breaker.call` and `state` trace events when it
 * has a trace, {@link BreakerEvent}s on `events$` while someone subscribes.
 * Costs nothing while nobody listens: the breaker checks {@link watching}
 * before it builds a report.
 */
export class BreakerReporter {
  private subject: Subject<BreakerEvent> | undefined;

  constructor(
    private readonly name: string,
    private readonly trace: TraceRecorder | undefined,
  ) {}

  /** State changes, outcomes and refusals, as they happen. */
  get events$(): Observable<BreakerEvent> {
    this.subject ??= new Subject<BreakerEvent>();
    return this.subject.asObservable();
  }

  /** True when a trace or a subscriber would hear of a report. */
  get watching(): boolean {
    return this.trace !== undefined || this.subject?.observed === true;
  }

  /** A call the breaker let through has finished. */
  call(r: CallReport): void {
    const threw = r.ending === 'threw';
    if (this.trace) {
      this.trace.record('breaker.call', {
        source: this.name,
        breaker: this.name,
        outcome: r.verdict,
        state: r.admittedIn,
        durationMs: r.durationMs,
        ...(r.slow ? { slow: true } : {}),
        ...(r.stale ? { stale: true } : {}),
        ...(threw ? { error: describeError(r.value) } : {}),
      });
    }
    const subject = this.subject;
    if (!subject?.observed) return;
    const base = { breaker: this.name, time: r.time, state: r.admittedIn, durationMs: r.durationMs, stale: r.stale };
    if (r.verdict === 'success') subject.next({ type: 'success', ...base, slow: r.slow });
    else if (r.verdict === 'failure') subject.next(threw ? { type: 'failure', ...base, slow: r.slow, error: r.value } : { type: 'failure', ...base, slow: r.slow, result: r.value });
    else subject.next({ type: 'ignored', ...base, error: r.value });
  }

  /** The breaker refused a call at `time`. */
  rejected(time: number, refusal: BrokenCircuitError): void {
    if (this.trace) this.trace.record('breaker.call', { source: this.name, breaker: this.name, outcome: 'rejected', state: refusal.state });
    if (this.subject?.observed) this.subject.next({ type: 'rejected', breaker: this.name, time, state: refusal.state, retryAt: refusal.retryAt });
  }

  /** The breaker changed state. */
  stateChange(c: StateChangeReport): void {
    if (this.trace) {
      const window = c.window.snapshot(c.time);
      this.trace.record('state', {
        source: this.name,
        component: this.name,
        from: c.from,
        to: c.to,
        detail: c.nextAttemptAt === undefined ? { reason: c.reason, window } : { reason: c.reason, nextAttemptAt: c.nextAttemptAt, window },
      });
    }
    if (this.subject?.observed) {
      this.subject.next({ type: 'stateChange', breaker: this.name, time: c.time, from: c.from, to: c.to, reason: c.reason, ...(c.nextAttemptAt === undefined ? {} : { nextAttemptAt: c.nextAttemptAt }) });
    }
  }
}
