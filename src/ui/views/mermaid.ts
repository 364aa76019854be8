import type { TraceEvent } from '../../sim/trace.js';
import { describeEvent } from './describe-event.js';
import type { EventStyle } from './event-view.js';
import { partyKind, partyName } from './parties.js';
import { placeOnHost, patternHosts } from './pattern-hosts.js';
import { formatTime, prefixLength } from './trace-access.js';

/** Options of {@link toMermaid}. */
export interface MermaidOptions {
  /** Only events with `time <= until`. */
  until?: number;
  /** Leave out events for which this returns false. */
  include?: (e: TraceEvent) => boolean;
  /** Prefix each message with its virtual time (default true). */
  times?: boolean;
  /** Also export bookkeeping events (broker topology, consumers, plain enqueues); default false. */
  quiet?: boolean;
}

/**
 * Exports a trace as the text of a Mermaid sequence diagram. Participants get
 * safe ids (`P1`, `P2`, …) with their names as aliases; all labels are escaped
 * with Mermaid's entity codes, so any service name or log text is safe.
 * Responses are dashed, failures end in a cross, messages are asynchronous
 * arrows, and compensations are wrapped in a highlighted block.
 *
 * @example
 * const text = toMermaid(world.events);
 * // sequenceDiagram
 * //   participant P1 as client
 * //   participant P2 as payment
 * //   P1->>P2: t=0 ms POST /payments
 */
export function toMermaid(events: readonly TraceEvent[], options: MermaidOptions = {}): string {
  const end = prefixLength(events, options.until);
  const times = options.times ?? true;
  const ids = new Map<string, string>();
  const hosts = patternHosts(events);
  const body: string[] = [];
  const idOf = (party: string) => {
    let id = ids.get(party);
    if (id === undefined) ids.set(party, (id = `P${ids.size + 1}`));
    return id;
  };
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if (options.include && !options.include(e)) continue;
    const v = placeOnHost(describeEvent(e), hosts);
    if (v.quiet && !options.quiet) continue;
    const from = idOf(v.from);
    const to = idOf(v.to);
    const text = escapeMermaid(`${times ? `t=${formatTime(e.time)} ` : ''}${v.label}`);
    const compensation = v.style === 'compensation';
    if (compensation) body.push('  rect rgba(255, 160, 0, 0.18)');
    const indent = compensation ? '    ' : '  ';
    if (v.shape === 'arrow') body.push(`${indent}${from}${ARROWS[v.style] ?? '->>'}${to}: ${text}`);
    else body.push(`${indent}Note over ${from}: ${text}`);
    if (compensation) body.push('  end');
  }
  const head = ['sequenceDiagram'];
  for (const [party, id] of ids) {
    const kind = partyKind(party);
    const keyword = kind === 'client' ? 'actor' : 'participant';
    const suffix = kind === 'exchange' ? ' (exchange)' : kind === 'queue' ? ' (queue)' : '';
    head.push(`  ${keyword} ${id} as ${escapeMermaidAlias(partyName(party) + suffix)}`);
  }
  return [...head, ...body].join('\n') + '\n';
}

/** Mermaid arrow for each style (default `->>`). */
const ARROWS: Partial<Record<EventStyle, string>> = {
  request: '->>',
  response: '-->>',
  late: '--x',
  error: '-->>',
  timeout: '-x',
  refused: '-x',
  canceled: '-x',
  fault: '-x',
  message: '-)',
  deliver: '-)',
  redeliver: '-)',
  ack: '--)',
  nack: '--x',
  'dead-letter': '-x',
  compensation: '->>',
};

/**
 * Escapes text for a Mermaid message or note: characters that Mermaid reads
 * as syntax (`;` ends a statement, `#` starts an entity code, `%` comments,
 * `<` `>` `&` are HTML, quotes and braces) become entity codes, and line
 * breaks become spaces.
 *
 * @example
 * escapeMermaid('a;b #1') // 'a#59;b #35;1'
 */
export function escapeMermaid(text: string): string {
  return text.replace(/\r\n|\r|\n|\t/g, ' ').replace(/[;#%<>&"`{}\\]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Like {@link escapeMermaid}, and also `:` and `,` (separators in participant declarations). */
export function escapeMermaidAlias(text: string): string {
  return escapeMermaid(text).replace(/[:,]/g, (c) => `#${c.charCodeAt(0)};`);
}
