import type { PatternEvent, SagaEvent } from './event-families.js';
import { KindLabel, roundMs, unknownKind, type EventPen, type EventStyle, type EventView } from './event-view.js';

/** Describes a pattern's event: what a breaker, retry, timeout, bulkhead, idempotency or token check decided. */
export function describePatternEvent(e: PatternEvent, pen: EventPen): EventView {
  const { arrow } = pen;
  switch (e.kind) {
    case 'breaker.call': {
      const { outcome, breaker: name, durationMs: d } = e;
      const text = `breaker ${name}: ${outcome}${outcome === 'rejected' ? ` (${e.state})` : ''}${d !== undefined ? ` ${roundMs(d)} ms` : ''}`;
      const style: EventStyle = outcome === 'rejected' ? 'breaker' : outcome === 'failure' ? 'warn' : 'generic';
      const v = arrow(style, text, `${name}|${outcome}|${e.state}`);
      // Calls that went through are the breaker's bookkeeping; refusals and failures are news.
      return outcome === 'success' || outcome === 'ignored' ? { ...v, quiet: true } : v;
    }
    case 'retry.scheduled':
      return arrow('retry', `↻ retry ${e.policy} #${e.attempt} in ${roundMs(e.delayMs)} ms`, e.policy);
    case 'retry.gaveUp':
      return arrow('error', `retry ${e.policy} gave up after ${e.attempts} (${e.reason})`, `${e.policy}|${e.reason}`);
    case 'timeout.fired':
      return arrow('timeout', `timeout ${e.policy} fired after ${e.timeoutMs} ms`, e.policy);
    case 'timeout.orphan':
      return arrow('late', `orphan of ${e.policy} ${e.outcome} ${roundMs(e.afterMs)} ms late`, e.policy);
    case 'fallback.used': {
      const label = new KindLabel(e);
      return arrow('fallback', label.text(), label.key());
    }
    case 'bulkhead.rejected':
      return arrow('refused', `bulkhead ${e.bulkhead} full (${e.active} active, ${e.queued} queued)`, e.bulkhead);
    case 'idempotency.replay':
      return arrow('redeliver', `idempotent replay ${e.method} ${e.path} → ${e.status}`);
    case 'idempotency.conflict':
      return arrow('error', `idempotency ${e.reason} ${e.method} ${e.path} → ${e.status}`);
    case 'dedupe.duplicate':
      return arrow('redeliver', `duplicate skipped by ${e.consumer}`, e.consumer);
    case 'auth.rejected':
      return arrow('error', `auth rejected ${e.path} → ${e.status} (${e.reason})`);
    default: {
      const unhandled: never = e;
      return unknownKind(unhandled, pen);
    }
  }
}

/**
 * Describes a saga event as an arrow from the orchestrator to the
 * participant (a note when there is none), labelled with its kind and
 * details: compensations in the compensation style, failed steps as errors.
 */
export function describeSagaEvent(e: SagaEvent, pen: EventPen): EventView {
  const label = new KindLabel(e);
  const attempt = (n: number) => `#${n}`;
  let style: EventStyle = 'saga';
  switch (e.kind) {
    case 'saga.start':
    case 'saga.end':
      label.name(e.detail);
      break;
    case 'saga.step':
    case 'saga.step-done':
      label.name(e.step).number(attempt(e.attempt));
      break;
    case 'saga.step-failed':
      label.name(e.step).number(attempt(e.attempt));
      style = 'error';
      break;
    case 'saga.retry':
      label.name(e.step).number(attempt(e.attempt)).number(`+${roundMs(e.delayMs)} ms`);
      break;
    case 'saga.compensation':
      label.name(e.step).name(e.reason).number(attempt(e.attempt));
      style = 'compensation';
      break;
    case 'saga.compensation-done':
    case 'saga.compensation-failed':
      label.name(e.step).number(attempt(e.attempt));
      style = 'compensation';
      break;
    case 'saga.resume':
      label.name(e.step).name(e.detail);
      break;
    case 'saga.effect':
      label.name(e.detail).id(e.messageId);
      break;
    default: {
      const unhandled: never = e;
      return unknownKind(unhandled, pen);
    }
  }
  return pen.arrow(style, style === 'compensation' ? `↩ ${label.text()}` : label.text(), label.key());
}
