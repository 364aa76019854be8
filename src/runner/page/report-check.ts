import type { ExecutedRun } from '../protocol.js';

const STATUSES = new Set(['ok', 'error', 'timeout', 'budget', 'stopped']);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * The run in a report message from the sandbox, or `undefined` when it is not
 * a well-formed {@link ExecutedRun}. Reports reach the page only over the
 * runner's own port (user code cannot post on it, see `public/sandbox/boot.js`);
 * they are still checked at the page boundary, so that a runtime fault can never
 * break the page. A trace sent as one JSON text (`eventsUtf8` bytes or an
 * `eventsJson` string, see `PackedRun`) gets its events back.
 *
 * @example
 * const run = readReport(message.run);
 * if (run) finish(active, run);
 */
export function readReport(v: unknown): ExecutedRun | undefined {
  const run = unpackRun(v);
  return isExecutedRun(run) ? run : undefined;
}

const utf8 = new TextDecoder();

function unpackRun(v: unknown): unknown {
  const r = v as { eventsJson?: unknown; eventsUtf8?: unknown } | null;
  if (!r || typeof r !== 'object') return v;
  const { eventsJson, eventsUtf8, ...rest } = r as Record<string, unknown>;
  let json: string;
  if (eventsUtf8 instanceof Uint8Array) json = utf8.decode(eventsUtf8);
  else if (typeof eventsJson === 'string') json = eventsJson;
  else return v;
  try {
    return { ...rest, events: JSON.parse(json) as unknown };
  } catch {
    return undefined;
  }
}

function isExecutedRun(v: unknown): v is ExecutedRun {
  const r = v as Partial<ExecutedRun> | null;
  if (!r || typeof r !== 'object' || typeof r.status !== 'string' || !STATUSES.has(r.status)) return false;
  if (!Array.isArray(r.events) || typeof r.traceHash !== 'string' || !isNumber(r.eventsRun) || !isNumber(r.virtualTime) || !isNumber(r.droppedLogs)) return false;
  for (let i = 0; i < r.events.length; i++) {
    const e = r.events[i] as { seq?: unknown; time?: unknown; kind?: unknown } | null;
    if (!e || typeof e !== 'object' || e.seq !== i || !isNumber(e.time) || typeof e.kind !== 'string') return false;
  }
  const err = r.error as { kind?: unknown; message?: unknown; line?: unknown; column?: unknown } | undefined;
  if (err !== undefined && (typeof err !== 'object' || err === null || typeof err.kind !== 'string' || typeof err.message !== 'string')) return false;
  if (err && ((err.line !== undefined && !isNumber(err.line)) || (err.column !== undefined && !isNumber(err.column)))) return false;
  return true;
}
