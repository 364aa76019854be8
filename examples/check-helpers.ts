/** Small helpers for writing exercise checks over a run. */
import type { TraceEvent, TraceEventOf, TraceKind } from 'playground';
import type { CheckResult, RunOutcome } from './types.js';

/** A passing check result. */
export const pass = (message: string): CheckResult => ({ passed: true, message });

/** A failing check result pointing at the trace events that show why. */
export const fail = (message: string, events: readonly TraceEvent[] = []): CheckResult => ({
  passed: false,
  message,
  eventSeqs: events.map((e) => e.seq).slice(0, 50),
});

/** Events of one kind, optionally filtered. */
export function eventsOf<K extends TraceKind>(run: RunOutcome, kind: K, where?: (e: TraceEventOf<K>) => boolean): TraceEventOf<K>[] {
  const out: TraceEventOf<K>[] = [];
  for (const e of run.events) if (e.kind === kind && (!where || where(e as unknown as TraceEventOf<K>))) out.push(e as unknown as TraceEventOf<K>);
  return out;
}

/** Fails when the run itself did not finish cleanly; otherwise undefined. */
export function runFailed(run: RunOutcome): CheckResult | undefined {
  if (run.status === 'ok') return undefined;
  return fail(`The run did not finish cleanly (${run.status}${run.error ? `: ${run.error.message}` : ''}). Fix that first.`);
}

/** The `main()` result as a record, or undefined. */
export function resultObject(run: RunOutcome): Record<string, unknown> | undefined {
  return typeof run.result === 'object' && run.result !== null ? (run.result as Record<string, unknown>) : undefined;
}
