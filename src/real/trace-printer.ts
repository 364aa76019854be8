import type { Subscription } from 'rxjs';
import type { TraceEvent, TraceRecorder } from '../sim/index.js';

/** `12.345s`: the run's time of an event, for a terminal. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`.padStart(9);
}

/** One terminal line for the events a person watching a real run wants to see, else undefined. */
export function describeEvent(e: TraceEvent): string | undefined {
  const who = (e.source ?? '').padEnd(22);
  switch (e.kind) {
    case 'log':
      return `${formatSeconds(e.time)} ${who} ${e.level.toUpperCase().padEnd(5)} ${e.message}${e.data === undefined ? '' : ` ${JSON.stringify(e.data)}`}`;
    case 'state':
      return `${formatSeconds(e.time)} ${who} STATE ${e.component}: ${e.from} → ${e.to}`;
    case 'fault':
      return `${formatSeconds(e.time)} ${who} FAULT ${e.detail}`;
    case 'service.status':
      return `${formatSeconds(e.time)} ${who} ${e.up ? 'UP   ' : 'DOWN '} ${e.service} ${e.up ? 'listens again' : 'refuses connections'}`;
    default:
      return undefined;
  }
}

/**
 * Writes the readable events of a trace (logs, state changes, faults,
 * services going down and up) to `write` as they are recorded; errors are
 * the command's to print. Returns the subscription to end.
 *
 * @example
 * const printing = printTrace(host.trace, (line) => process.stdout.write(line + '\n'));
 */
export function printTrace(trace: TraceRecorder, write: (line: string) => void): Subscription {
  return trace.events$.subscribe((e) => {
    const line = describeEvent(e);
    if (line !== undefined) write(line);
  });
}
