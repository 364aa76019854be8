import type { LoadEvent } from './event-families.js';
import { roundMs, unknownKind, type EventPen, type EventView } from './event-view.js';

/**
 * Describes a load generator's event as a note on the client: its start and
 * end are news; each call's start and end are bookkeeping (`quiet`), since
 * the HTTP calls they make are drawn anyway.
 */
export function describeLoadEvent(e: LoadEvent, pen: EventPen): EventView {
  const { note } = pen;
  switch (e.kind) {
    case 'load.start':
      return note('generic', `load ${e.load}: ${e.ratePerSecond}/s for ${roundMs(e.durationMs)} ms${e.clients > 1 ? ` from ${e.clients} clients` : ''}`, e.load);
    case 'load.call':
      return { ...note('generic', `load ${e.load} call #${e.index} (client ${e.client})`, e.load), quiet: true };
    case 'load.done':
      return { ...note(e.ok ? 'generic' : 'warn', `load ${e.load} call #${e.index} ${e.ok ? 'ok' : 'failed'} in ${roundMs(e.durationMs)} ms`, `${e.load}|${e.ok}`), quiet: true };
    case 'load.end': {
      const p99 = e.p99 !== undefined ? `, p99 ${roundMs(e.p99)} ms` : '';
      return note(e.failed ? 'warn' : 'generic', `load ${e.load} done: ${e.ok}/${e.sent} ok, ${e.failed} failed${p99}`, e.load);
    }
    default: {
      const unhandled: never = e;
      return unknownKind(unhandled, pen);
    }
  }
}
