import type { TraceEvent } from '../../sim/trace.js';
import { isBreakerState } from './breaker-states.js';
import { describeBrokerEvent, describeStoreEvent } from './describe-broker.js';
import { describeLoadEvent } from './describe-load.js';
import { describePatternEvent, describeSagaEvent } from './describe-pattern.js';
import { isBrokerEvent, isLoadEvent, isPatternEvent, isSagaEvent, isStoreEvent } from './event-families.js';
import { penFor, roundMs, stripNumbers, unknownKind, type EventStyle, type EventView } from './event-view.js';
import { brief } from './trace-access.js';

/**
 * Describes a trace event for drawing: an arrow between two lifelines, or a
 * note on one, with its style, label and the key that folds repeats. Every
 * kind of the trace has its own drawing; a kind from a trace file of another
 * version is an arrow (or note) labelled with its kind.
 *
 * @example
 * describeEvent({ seq: 0, time: 0, kind: 'http.request', source: 'client', target: 'orders',
 *   requestId: 'req-1', method: 'POST', path: '/orders', url: 'http://orders/orders' });
 * // → { shape: 'arrow', from: 'client', to: 'orders', style: 'request', label: 'POST /orders', … }
 */
export function describeEvent(e: TraceEvent): EventView {
  const pen = penFor(e);
  if (isBrokerEvent(e)) return describeBrokerEvent(e, pen);
  if (isStoreEvent(e)) return describeStoreEvent(e, pen);
  if (isPatternEvent(e)) return describePatternEvent(e, pen);
  if (isSagaEvent(e)) return describeSagaEvent(e, pen);
  if (isLoadEvent(e)) return describeLoadEvent(e, pen);
  const { arrow, note } = pen;
  switch (e.kind) {
    case 'http.request': {
      const route = `${e.method} ${e.path}`.trim();
      return arrow('request', e.timeout ? `${route} (timeout ${e.timeout} ms)` : route, route);
    }
    case 'http.response': {
      const route = `${e.method} ${e.path}`.trim();
      const { status, durationMs: d } = e;
      const late = e.late === true;
      const style: EventStyle = late ? 'late' : status >= 400 ? 'error' : 'response';
      const label = `${status} ${route}${d !== undefined ? ` (${roundMs(d)} ms)` : ''}${late ? ' late, unread' : ''}`;
      return arrow(style, label, `${status} ${route}${late ? ' late' : ''}`);
    }
    case 'http.timeout': {
      const route = `${e.method} ${e.path}`.trim();
      return arrow('timeout', `timeout ${route} after ${e.timeoutMs} ms`, `timeout ${route}`);
    }
    case 'http.canceled':
      return arrow('canceled', `canceled ${`${e.method} ${e.path}`.trim()}`);
    case 'http.refused':
      return arrow('refused', `refused ${`${e.method} ${e.path}`.trim()} (${e.code})`);
    case 'fault':
      return arrow('fault', `⚡ ${e.fault}: ${e.detail}`, `${e.fault}|${stripNumbers(e.detail)}`);
    case 'log': {
      const { level, message } = e;
      const style: EventStyle = level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'log';
      return note(style, `${level}: ${message}`, `${level}|${stripNumbers(message)}`);
    }
    case 'error':
      return note('error', `✖ ${e.message}`, stripNumbers(e.message));
    case 'state': {
      const breaker = isBreakerState(e.from) && isBreakerState(e.to);
      return note(breaker ? 'breaker' : 'state', `${breaker ? 'breaker ' : ''}${e.component}: ${e.from} → ${e.to}`);
    }
    case 'service.status':
      return note(e.up ? 'status' : 'fault', `${e.service} ${e.up ? 'is up' : 'is down'}`);
    default: {
      const unhandled: never = e;
      return unknownKind(unhandled, pen);
    }
  }
}

/** A one-line summary of any event, for lists (checks panel, tooltips). */
export function summarizeEvent(e: TraceEvent): string {
  const v = describeEvent(e);
  const who = v.shape === 'arrow' ? `${v.from} → ${v.to}` : v.from;
  return `#${e.seq} ${who}: ${v.label}`;
}

/** All fields of an event as compact JSON for a tooltip. */
export function eventTooltip(e: TraceEvent): string {
  return brief(e, 400);
}
