import type { TraceEvent } from '../../sim/trace.js';
import { brief, loose, num, str, type LooseEvent } from './trace-access.js';

/**
 * How an event looks in the views. Each style is drawn differently (colour,
 * dash, arrow end) so that failures, retries, compensations and dead letters
 * stand out from ordinary traffic.
 */
export type EventStyle =
  | 'request'
  | 'response'
  | 'error'
  | 'timeout'
  | 'refused'
  | 'canceled'
  | 'late'
  | 'fault'
  | 'message'
  | 'deliver'
  | 'ack'
  | 'nack'
  | 'dead-letter'
  | 'redeliver'
  | 'retry'
  | 'compensation'
  | 'saga'
  | 'breaker'
  | 'fallback'
  | 'state'
  | 'status'
  | 'log'
  | 'warn'
  | 'generic';

/** Styles that mean something went wrong (counted, highlighted). */
export const PROBLEM_STYLES: ReadonlySet<EventStyle> = new Set<EventStyle>([
  'error',
  'timeout',
  'refused',
  'fault',
  'nack',
  'dead-letter',
  'late',
  'compensation',
]);

/** An event as a sequence diagram draws it. */
export interface EventView {
  /** `arrow` between two lifelines, or `note` on one lifeline. */
  shape: 'arrow' | 'note';
  /** Lifeline the arrow starts at (or the note sits on). */
  from: string;
  /** Lifeline the arrow ends at (equal to `from` for a note). */
  to: string;
  style: EventStyle;
  /** Human-readable label, may contain numbers that change from run to run. */
  label: string;
  /** Stable identity of "the same exchange" (no ids, times or durations): equal keys may be collapsed. */
  key: string;
  /** Bookkeeping detail (topology, consumers, channels, plain enqueues): hidden unless asked for. */
  quiet?: boolean;
}

/** Lifeline of events without a source. */
export const UNKNOWN_PARTY = '?';

/**
 * Describes any trace event for drawing, including kinds this module does
 * not know: an unknown event with distinct source and target is an arrow,
 * anything else a note on its source's lifeline.
 *
 * @example
 * describeEvent({ seq: 0, time: 0, kind: 'http.request', source: 'client', target: 'orders',
 *   requestId: 'req-1', method: 'POST', path: '/orders', url: 'http://orders/orders' });
 * // → { shape: 'arrow', from: 'client', to: 'orders', style: 'request', label: 'POST /orders', … }
 */
export function describeEvent(event: TraceEvent | LooseEvent): EventView {
  const e = loose(event);
  const source = partyOf(e, e.source) ?? UNKNOWN_PARTY;
  const target = partyOf(e, e.target);
  const arrow = (style: EventStyle, label: string, key = label): EventView =>
    target !== undefined && target !== source
      ? { shape: 'arrow', from: source, to: target, style, label, key: `${e.kind}|${key}` }
      : note(style, label, key);
  const note = (style: EventStyle, label: string, key = label): EventView => ({
    shape: 'note',
    from: source,
    to: source,
    style,
    label,
    key: `${e.kind}|${key}`,
  });
  const route = `${str(e, 'method') ?? ''} ${str(e, 'path') ?? ''}`.trim();

  switch (e.kind) {
    case 'http.request': {
      const t = num(e, 'timeout');
      return arrow('request', t ? `${route} (timeout ${t} ms)` : route, route);
    }
    case 'http.response': {
      const status = num(e, 'status') ?? 0;
      const d = num(e, 'durationMs');
      const late = e['late'] === true;
      const style: EventStyle = late ? 'late' : status >= 400 ? 'error' : 'response';
      const label = `${status} ${route}${d !== undefined ? ` (${round(d)} ms)` : ''}${late ? ' late, unread' : ''}`;
      return arrow(style, label, `${status} ${route}${late ? ' late' : ''}`);
    }
    case 'http.timeout':
      return arrow('timeout', `timeout ${route} after ${num(e, 'timeoutMs') ?? '?'} ms`, `timeout ${route}`);
    case 'http.canceled':
      return arrow('canceled', `canceled ${route}`);
    case 'http.refused':
      return arrow('refused', `refused ${route} (${str(e, 'code') ?? str(e, 'reason') ?? ''})`);
    case 'fault': {
      const label = `⚡ ${str(e, 'fault') ?? 'fault'}: ${str(e, 'detail') ?? ''}`;
      return arrow('fault', label, `${str(e, 'fault')}|${stripNumbers(str(e, 'detail') ?? '')}`);
    }
    case 'log': {
      const level = str(e, 'level') ?? 'info';
      const style: EventStyle = level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'log';
      const message = str(e, 'message') ?? '';
      return note(style, `${level}: ${message}`, `${level}|${stripNumbers(message)}`);
    }
    case 'error':
      return note('error', `✖ ${str(e, 'message') ?? 'error'}`, stripNumbers(str(e, 'message') ?? ''));
    case 'state': {
      const component = str(e, 'component') ?? '';
      const from = String(e['from'] ?? '');
      const to = String(e['to'] ?? '');
      const breaker = isBreakerState(from) && isBreakerState(to);
      return note(breaker ? 'breaker' : 'state', `${breaker ? 'breaker ' : ''}${component}: ${from} → ${to}`);
    }
    case 'service.status': {
      const up = e['up'] === true;
      return note(up ? 'status' : 'fault', `${str(e, 'service') ?? source} ${up ? 'is up' : 'is down'}`);
    }
  }
  if (e.kind.startsWith('mq.')) {
    const v = describeBroker(e, source, target);
    if (v) return v;
  }
  return describeByFamily(e, arrow);
}

/** The broker's own kinds (src/messaging): drawn along the path of a message. */
function describeBroker(e: LooseEvent, source: string, target: string | undefined): EventView | undefined {
  // A UUID message id is shortened to its first block in labels; the event's details keep it whole.
  const fullId = str(e, 'messageId') ?? '';
  const id = /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(fullId) ? `${fullId.slice(0, 8)}…` : fullId;
  const queue = str(e, 'queue');
  const exchange = str(e, 'exchange');
  const q = queue !== undefined ? `queue:${queue}` : undefined;
  const x = (name: string) => (name === '' ? 'exchange:' : `exchange:${name}`);
  const mk = (shape: 'arrow' | 'note', from: string, to: string, style: EventStyle, label: string, key: string, quiet = false): EventView => ({
    shape,
    from,
    to: shape === 'note' ? from : to,
    style,
    label,
    key: `${e.kind}|${key}`,
    ...(quiet ? { quiet: true } : {}),
  });
  switch (e.kind) {
    case 'mq.publish': {
      const rk = str(e, 'routingKey') ?? '';
      const to = exchange === '' ? `queue:${rk}` : x(exchange ?? '?');
      return mk('arrow', source, to, 'message', `publish ${rk} ${id}`.trim(), `${to}|${rk}`);
    }
    case 'mq.route': {
      const queues = Array.isArray(e['queues']) ? (e['queues'] as unknown[]).map(String) : [];
      const rk = str(e, 'routingKey') ?? '';
      const from = x(exchange ?? '?');
      if (exchange === '') return mk('note', `queue:${rk}`, '', 'message', `routed ${id}`, rk, true);
      if (queues.length === 1) return mk('arrow', from, `queue:${queues[0]}`, 'message', `route ${rk} ${id}`.trim(), `${rk}|${queues[0]}`);
      if (queues.length === 0) return mk('note', from, '', 'fault', `unroutable ${rk} ${id}`.trim(), rk);
      return mk('note', from, '', 'message', `route ${rk} → ${queues.join(', ')}`, `${rk}|${queues.join(',')}`);
    }
    case 'mq.enqueue': {
      if (!q) return undefined;
      const dup = e['duplicate'] === true;
      const dl = e['deadLettered'] === true;
      const ready = num(e, 'ready');
      const label = `${dup ? 'duplicate copy ' : dl ? 'dead letter in ' : 'enqueued '}${id}${ready !== undefined ? ` (${ready} ready)` : ''}`;
      return mk('note', q, '', dup ? 'fault' : dl ? 'dead-letter' : 'message', label, `${dup}|${dl}`, !dup && !dl);
    }
    case 'mq.deliver': {
      if (!q) return undefined;
      const again = e['redelivered'] === true;
      const consumer = source === q ? (target ?? UNKNOWN_PARTY) : source;
      return mk('arrow', q, consumer, again ? 'redeliver' : 'deliver', `deliver ${id}${again ? ' (redelivered)' : ''}`, `${again}`);
    }
    case 'mq.ack':
    case 'mq.nack': {
      if (!q) return undefined;
      const consumer = source === q ? (target ?? UNKNOWN_PARTY) : source;
      const ack = e.kind === 'mq.ack';
      const requeue = e['requeue'] === true;
      const label = ack ? `ack ${id}${e['auto'] === true ? ' (auto)' : ''}` : `${str(e, 'method') ?? 'nack'} ${id}${requeue ? ' (requeue)' : ' (no requeue)'}`;
      return mk('arrow', consumer, q, ack ? 'ack' : 'nack', label, `${requeue}`);
    }
    case 'mq.requeue':
      return q ? mk('note', q, '', 'redeliver', `requeued ${id} (${str(e, 'reason') ?? ''})`, str(e, 'reason') ?? '') : undefined;
    case 'mq.expire':
      return q ? mk('note', q, '', 'timeout', `expired ${id}`, '') : undefined;
    case 'mq.dead-letter': {
      if (!q) return undefined;
      const keys = Array.isArray(e['routingKeys']) ? (e['routingKeys'] as unknown[]).map(String) : [];
      const to = exchange === '' ? `queue:${keys[0] ?? '?'}` : x(exchange ?? '?');
      return mk('arrow', q, to, 'dead-letter', `dead-letter ${id} (${str(e, 'reason') ?? ''})`, `${str(e, 'reason')}|${to}`);
    }
    case 'mq.drop': {
      const at = q ?? (exchange !== undefined ? x(exchange) : source);
      return mk('note', at, '', 'fault', `✖ dropped ${id} (${str(e, 'reason') ?? ''})`, str(e, 'reason') ?? '');
    }
    case 'mq.return':
      return mk('arrow', x(exchange ?? '?'), source, 'error', `returned ${id} ${str(e, 'replyText') ?? ''}`.trim(), str(e, 'replyText') ?? '');
    case 'mq.confirm': {
      const ok = e['ack'] === true;
      return mk('note', source, '', ok ? 'ack' : 'error', `${ok ? 'confirmed' : 'not confirmed'} ${id}`, `${ok}`, ok);
    }
    case 'mq.topology': {
      const action = str(e, 'action') ?? '';
      const name = str(e, 'name') ?? target ?? '?';
      const detail = e['detail'] && typeof e['detail'] === 'object' ? (e['detail'] as Record<string, unknown>) : {};
      const party = action.startsWith('queue.') ? `queue:${name}` : x(name);
      if (action.endsWith('.bind') || action.endsWith('.unbind')) {
        const from = x(String(detail['exchange'] ?? ''));
        return mk('arrow', from, party, 'generic', `${action} ${String(detail['routingKey'] ?? '')}`.trim(), `${action}|${String(detail['routingKey'])}`, true);
      }
      return mk('note', party, '', 'generic', action, action, true);
    }
    case 'mq.consumer':
      return q ? mk('note', q, '', 'generic', `${str(e, 'action') ?? 'consume'} by ${source}`, `${str(e, 'action')}|${source}`, true) : undefined;
    case 'mq.channel': {
      const action = str(e, 'action') ?? '';
      return mk('note', source, '', action === 'error' ? 'error' : 'generic', `channel ${action}${str(e, 'error') ? `: ${str(e, 'error')}` : ''}`, action, action !== 'error');
    }
  }
  return undefined;
}

type Maker = (style: EventStyle, label: string, key?: string) => EventView;

/** Kinds added by other layers, recognised by their prefix and verb. */
function describeByFamily(e: LooseEvent, arrow: Maker): EventView {
  const kind = e.kind;
  const dot = kind.indexOf('.');
  const family = dot < 0 ? kind : kind.slice(0, dot);
  const verb = dot < 0 ? '' : kind.slice(dot + 1);
  const details = detailText(e);
  const label = details ? `${kind} ${details}` : kind;
  const key = `${stableDetail(e)}`;
  if (family === 'saga') {
    if (/compensat|undo|rollback/i.test(verb)) return arrow('compensation', `↩ ${label}`, key);
    if (/fail|abort|error/i.test(verb)) return arrow('error', label, key);
    return arrow('saga', label, key);
  }
  switch (kind) {
    case 'breaker.call': {
      const outcome = str(e, 'outcome') ?? '';
      const name = str(e, 'breaker') ?? '';
      const d = num(e, 'durationMs');
      const text = `breaker ${name}: ${outcome}${outcome === 'rejected' ? ` (${str(e, 'state') ?? 'open'})` : ''}${d !== undefined ? ` ${round(d)} ms` : ''}`;
      const style: EventStyle = outcome === 'rejected' ? 'breaker' : outcome === 'failure' ? 'warn' : 'generic';
      const v = arrow(style, text, `${name}|${outcome}|${str(e, 'state')}`);
      return outcome === 'success' || outcome === 'ignored' ? { ...v, quiet: true } : v;
    }
    case 'retry.scheduled':
      return arrow('retry', `↻ retry ${str(e, 'policy') ?? ''} #${num(e, 'attempt') ?? '?'} in ${round(num(e, 'delayMs') ?? 0)} ms`, str(e, 'policy'));
    case 'retry.gaveUp':
      return arrow('error', `retry ${str(e, 'policy') ?? ''} gave up after ${num(e, 'attempts') ?? '?'} (${str(e, 'reason') ?? ''})`, `${str(e, 'policy')}|${str(e, 'reason')}`);
    case 'timeout.fired':
      return arrow('timeout', `timeout ${str(e, 'policy') ?? ''} fired after ${num(e, 'timeoutMs') ?? '?'} ms`, str(e, 'policy'));
    case 'timeout.orphan':
      return arrow('late', `orphan of ${str(e, 'policy') ?? ''} ${str(e, 'outcome') ?? ''} ${round(num(e, 'afterMs') ?? 0)} ms late`, str(e, 'policy'));
    case 'bulkhead.rejected':
      return arrow('refused', `bulkhead ${str(e, 'bulkhead') ?? ''} full (${num(e, 'active') ?? '?'} active, ${num(e, 'queued') ?? '?'} queued)`, str(e, 'bulkhead'));
    case 'idempotency.replay':
      return arrow('redeliver', `idempotent replay ${str(e, 'method') ?? ''} ${str(e, 'path') ?? ''} → ${num(e, 'status') ?? ''}`);
    case 'idempotency.conflict':
      return arrow('error', `idempotency ${str(e, 'reason') ?? 'conflict'} ${str(e, 'method') ?? ''} ${str(e, 'path') ?? ''} → ${num(e, 'status') ?? ''}`);
    case 'dedupe.duplicate':
      return arrow('redeliver', `duplicate skipped by ${str(e, 'consumer') ?? ''}`, str(e, 'consumer'));
    case 'auth.rejected':
      return arrow('error', `auth rejected ${str(e, 'path') ?? ''} → ${num(e, 'status') ?? ''} (${str(e, 'reason') ?? ''})`);
  }
  if (family === 'breaker' || family === 'circuit') return arrow('breaker', label, key);
  if (family === 'retry') return arrow('retry', `↻ ${label}`, key);
  if (family === 'fallback') return arrow('fallback', label, key);
  if (family === 'timeout') return arrow('timeout', label, key);
  const style = styleForVerb(verb || kind);
  const v = arrow(style, label, key);
  // Deliveries flow from the queue to the consumer, acks and nacks back to the queue,
  // whichever way round the event names source and target.
  if (v.shape === 'arrow') {
    const fromBroker = isBrokerParty(v.from);
    const toBroker = isBrokerParty(v.to);
    const towardConsumer = style === 'deliver' || style === 'redeliver';
    const towardQueue = style === 'ack' || style === 'nack';
    if ((towardConsumer && toBroker && !fromBroker) || (towardQueue && fromBroker && !toBroker)) return { ...v, from: v.to, to: v.from };
  }
  return v;
}

/** Style of a messaging (or unknown) verb such as `publish`, `deliver`, `ack`, `dead-letter`. */
function styleForVerb(verb: string): EventStyle {
  const v = verb.toLowerCase();
  if (/dead|dlx|dlq/.test(v)) return 'dead-letter';
  if (/nack|reject/.test(v)) return 'nack';
  if (/redeliver|requeue|retry/.test(v)) return 'redeliver';
  if (/ack/.test(v)) return 'ack';
  if (/drop|lost|lose|duplicate|crash|fault|restart/.test(v)) return 'fault';
  if (/deliver|consume|receive|handle/.test(v)) return 'deliver';
  if (/publish|send|route|enqueue|emit|append/.test(v)) return 'message';
  if (/compensat/.test(v)) return 'compensation';
  if (/error|fail|conflict/.test(v)) return 'error';
  if (/timeout/.test(v)) return 'timeout';
  return 'generic';
}

const LABEL_FIELDS = [
  'routingKey',
  'eventType',
  'type',
  'step',
  'name',
  'queue',
  'exchange',
  'reason',
  'attempt',
  'delayMs',
  'message',
  'detail',
  'messageId',
];

/** The interesting scalar fields of an unknown event, in a fixed order. */
function detailText(e: LooseEvent): string {
  const parts: string[] = [];
  for (const f of LABEL_FIELDS) {
    const v = e[f];
    if (typeof v === 'string' && v !== '' && v !== e.source && v !== e.target) parts.push(f === 'attempt' ? `#${v}` : v);
    else if (typeof v === 'number') parts.push(f === 'attempt' ? `#${v}` : f === 'delayMs' ? `+${round(v)} ms` : String(v));
    if (parts.length >= 3) break;
  }
  return parts.join(' ');
}

const UNSTABLE = new Set(['messageId', 'requestId', 'attempt', 'delayMs', 'id', 'deliveryTag']);

/** Identity of an unknown event for collapsing: its string fields minus ids. */
function stableDetail(e: LooseEvent): string {
  const parts: string[] = [];
  for (const f of LABEL_FIELDS) {
    if (UNSTABLE.has(f)) continue;
    const v = e[f];
    if (typeof v === 'string') parts.push(stripNumbers(v));
  }
  return parts.join('|');
}

/** Kinds of lifeline / map node. */
export type PartyKind = 'client' | 'service' | 'exchange' | 'queue' | 'broker' | 'world' | 'unknown';

/**
 * The lifeline id of `name` as used in `e`: a name that the event also gives in
 * a field whose name mentions `exchange` or `queue` is that exchange or queue
 * (`exchange:orders`, `queue:orders`), so a queue and a service of the same name
 * get separate lifelines.
 */
export function partyOf(e: LooseEvent, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  for (const field in e) {
    if (e[field] !== name) continue;
    const f = field.toLowerCase();
    if (f.includes('exchange')) return `exchange:${name}`;
    if (f.includes('queue')) return `queue:${name}`;
  }
  return name;
}

/** True for exchanges, queues and the broker itself. */
export function isBrokerParty(id: string): boolean {
  const k = partyKind(id);
  return k === 'exchange' || k === 'queue' || k === 'broker';
}

/** Kind of a lifeline id made by {@link partyOf}. */
export function partyKind(id: string): PartyKind {
  if (id.startsWith('exchange:')) return 'exchange';
  if (id.startsWith('queue:')) return 'queue';
  if (id === 'client') return 'client';
  if (id === 'broker') return 'broker';
  if (id === 'world') return 'world';
  if (id === UNKNOWN_PARTY) return 'unknown';
  return 'service';
}

/** Display name of a lifeline id: `queue:orders` → `orders`, the default exchange → `(default)`. */
export function partyName(id: string): string {
  const k = partyKind(id);
  if (k === 'exchange') return id.slice(9) || '(default)';
  if (k === 'queue') return id.slice(6);
  return id;
}

/** True for the names breakers use for their states, in any spelling. */
export function isBreakerState(s: string): boolean {
  return normalizeBreakerState(s) !== undefined;
}

/** Breaker states as the views draw them. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** Maps `CLOSED`, `halfOpen`, `HALF_OPEN`, `half-open` … to a {@link BreakerState}. */
export function normalizeBreakerState(s: string): BreakerState | undefined {
  const n = s.toLowerCase().replace(/[-_\s]/g, '');
  if (n === 'closed') return 'closed';
  if (n === 'open') return 'open';
  if (n === 'halfopen') return 'half-open';
  if (n === 'isolated' || n === 'forcedopen') return 'isolated';
  return undefined;
}

/** Replaces runs of digits so `attempt 3` and `attempt 4` read alike. */
export function stripNumbers(s: string): string {
  return s.replace(/\d+(\.\d+)?/g, '#');
}

function round(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** A one-line summary of any event, for lists (checks panel, tooltips). */
export function summarizeEvent(event: TraceEvent | LooseEvent): string {
  const e = loose(event);
  const v = describeEvent(e);
  const who = v.shape === 'arrow' ? `${v.from} → ${v.to}` : v.from;
  return `#${e.seq} ${who}: ${v.label}`;
}

/** All fields of an event as compact JSON for a tooltip. */
export function eventTooltip(event: TraceEvent | LooseEvent): string {
  return brief(event, 400);
}
