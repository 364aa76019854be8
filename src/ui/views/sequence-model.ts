import type { TraceEvent } from '../../sim/trace.js';
import { describeEvent } from './describe-event.js';
import { correlationOf } from './filter-by-correlation.js';
import type { EventStyle, EventView } from './event-view.js';
import { partyKind, partyName, type PartyKind } from './parties.js';
import { placeOnHost, patternHosts } from './pattern-hosts.js';
import { prefixLength, truncate } from './trace-access.js';

/** One vertical line of the diagram: a service, the client, an exchange, a queue. */
export interface Lifeline {
  /** Id used by rows (`orders`, `exchange:orders`, `queue:orders.created`). */
  id: string;
  /** Name shown in the header. */
  name: string;
  kind: PartyKind;
  /** Centre x in px. */
  x: number;
}

/** A row of the diagram; every row is `rowHeight` tall so labels never overlap. */
export type SequenceRow =
  | {
      type: 'arrow';
      seq: number;
      time: number;
      /** Top of the row in px, from the top of the body (below the header). */
      y: number;
      from: string;
      to: string;
      x1: number;
      x2: number;
      style: EventStyle;
      /** Label cut to fit between the two lifelines. */
      label: string;
      fullLabel: string;
      correlationId?: string;
    }
  | {
      type: 'note';
      seq: number;
      time: number;
      y: number;
      at: string;
      x: number;
      style: EventStyle;
      label: string;
      fullLabel: string;
      correlationId?: string;
    }
  | {
      /** A run of identical exchanges, folded into one row. */
      type: 'collapsed';
      /** `seq` of the first event of the repeated block; the id to expand it. */
      group: number;
      y: number;
      time: number;
      endTime: number;
      /** Events per repetition. */
      blockSize: number;
      /** Repetitions hidden (the first one stays visible above this row). */
      hiddenRepeats: number;
      /** `seq` of every hidden event. */
      seqs: number[];
      label: string;
    }
  | {
      /** Marks an expanded run; clicking it folds the run again. */
      type: 'expanded';
      group: number;
      y: number;
      time: number;
      blockSize: number;
      repeats: number;
      label: string;
    };

/** Options of {@link layoutSequence}. */
export interface SequenceLayoutOptions {
  /** Scrub time: only events with `time <= until` get rows. Default: all. */
  until?: number;
  /** Fold runs of repeated identical exchanges (default true). */
  collapse?: boolean;
  /** Groups (by `group` id) the user unfolded. */
  expanded?: ReadonlySet<number>;
  /** Fewest repetitions of a block that are folded (default 3). */
  minRepeats?: number;
  /** Longest block (in events) looked for when folding (default 8). */
  maxBlock?: number;
  /** Leave out events for which this returns false (e.g. debug logs). */
  include?: (e: TraceEvent) => boolean;
  /** Only the events of this correlation id (see {@link correlationOf}); default all. */
  correlation?: string;
  /** Also draw bookkeeping events (broker topology, consumers, plain enqueues); default false. */
  quiet?: boolean;
  /**
   * The result of {@link prepareSequence} for these same events: describing
   * every event is the costly part, and it does not depend on the scrub time,
   * so a component prepares once per trace and lays out at every scrub step.
   */
  prepared?: PreparedSequence;
  /** px between lifelines (default 170). */
  columnWidth?: number;
  /** px per row (default 24). */
  rowHeight?: number;
  /** px of the time gutter on the left (default 84). */
  gutter?: number;
  /** Approximate px per label character (default 6.6, for a 11 px font). */
  charWidth?: number;
}

/** The laid-out diagram. */
export interface SequenceLayout {
  lifelines: Lifeline[];
  rows: SequenceRow[];
  /** Total width in px. */
  width: number;
  /** Height of all rows in px (without the header). */
  height: number;
  rowHeight: number;
  gutter: number;
  /** Number of events drawn or folded (after `until` and `include`). */
  eventCount: number;
  /** Index of the row that shows `seq` (also folded ones: their collapsed row). */
  rowOfSeq: Map<number, number>;
}

/**
 * Lays out a sequence diagram: one lifeline per party (all parties of the
 * whole trace, so scrubbing never moves them), one row per event up to
 * `until`, and runs of repeated identical exchanges folded into one row.
 * Linear in the number of events (folding looks at blocks of at most
 * `maxBlock` events).
 *
 * @example
 * const layout = layoutSequence(world.events, { until: 250 });
 * for (const row of layout.rows) if (row.type === 'arrow') console.log(row.from, '→', row.to, row.label);
 */
export function layoutSequence(events: readonly TraceEvent[], options: SequenceLayoutOptions = {}): SequenceLayout {
  const columnWidth = options.columnWidth ?? 170;
  const rowHeight = options.rowHeight ?? 24;
  const gutter = options.gutter ?? 84;
  const charWidth = options.charWidth ?? 6.6;
  const include = options.include;
  const correlation = options.correlation;
  const quiet = options.quiet ?? false;
  const given = options.prepared;
  const { views, ids } = given && given.views.length === events.length && given.quiet === quiet ? given : prepareSequence(events, quiet);
  const lifelines: Lifeline[] = ids.map((id, i) => ({
    id,
    name: partyName(id),
    kind: partyKind(id),
    x: gutter + columnWidth / 2 + i * columnWidth,
  }));
  const xOf = new Map(lifelines.map((l) => [l.id, l.x]));

  // Events in view, with interned signatures for folding.
  const end = prefixLength(events, options.until);
  const picked: number[] = [];
  for (let i = 0; i < end; i++) {
    const e = events[i]!;
    if ((quiet || !views[i]!.quiet) && (!include || include(e)) && (correlation === undefined || correlationOf(e) === correlation)) picked.push(i);
  }
  const sigIds = new Map<string, number>();
  const sig = new Int32Array(picked.length);
  for (let j = 0; j < picked.length; j++) {
    const v = views[picked[j]!]!;
    const s = `${v.shape}|${v.from}|${v.to}|${v.style}|${v.key}`;
    let id = sigIds.get(s);
    if (id === undefined) sigIds.set(s, (id = sigIds.size));
    sig[j] = id;
  }

  const rows: SequenceRow[] = [];
  const rowOfSeq = new Map<number, number>();
  const collapse = options.collapse ?? true;
  const minRepeats = Math.max(2, options.minRepeats ?? 3);
  const maxBlock = Math.max(1, options.maxBlock ?? 8);
  const expanded = options.expanded;

  const pushEvent = (j: number) => {
    const idx = picked[j]!;
    const e = events[idx]!;
    const v = views[idx]!;
    const y = rows.length * rowHeight;
    const id = correlationOf(e);
    const correlated = id !== undefined ? { correlationId: id } : {};
    rowOfSeq.set(e.seq, rows.length);
    if (v.shape === 'arrow') {
      const x1 = xOf.get(v.from)!;
      const x2 = xOf.get(v.to)!;
      const room = Math.max(14, Math.floor((Math.abs(x2 - x1) - 12) / charWidth));
      rows.push({
        type: 'arrow',
        seq: e.seq,
        time: e.time,
        y,
        from: v.from,
        to: v.to,
        x1,
        x2,
        style: v.style,
        label: truncate(v.label, room),
        fullLabel: v.label,
        ...correlated,
      });
    } else {
      const room = Math.max(14, Math.floor((columnWidth * 1.6) / charWidth));
      rows.push({
        type: 'note',
        seq: e.seq,
        time: e.time,
        y,
        at: v.from,
        x: xOf.get(v.from)!,
        style: v.style,
        label: truncate(v.label, room),
        fullLabel: v.label,
        ...correlated,
      });
    }
  };

  const n = picked.length;
  let j = 0;
  while (j < n) {
    let bestK = 0;
    let bestReps = 0;
    if (collapse) {
      for (let k = 1; k <= maxBlock && j + 2 * k <= n; k++) {
        let reps = 1;
        while (j + (reps + 1) * k <= n && sameBlock(sig, j, j + reps * k, k)) reps++;
        if (reps >= minRepeats && reps * k > bestReps * bestK) {
          bestK = k;
          bestReps = reps;
        }
      }
    }
    if (bestK === 0) {
      pushEvent(j);
      j++;
      continue;
    }
    const group = events[picked[j]!]!.seq;
    const first = events[picked[j]!]!;
    const last = events[picked[j + bestK * bestReps - 1]!]!;
    if (expanded?.has(group)) {
      rows.push({
        type: 'expanded',
        group,
        y: rows.length * rowHeight,
        time: first.time,
        blockSize: bestK,
        repeats: bestReps,
        label: `▾ ${bestReps}× the same ${bestK === 1 ? 'event' : `${bestK} events`} (click to fold)`,
      });
      for (let m = 0; m < bestK * bestReps; m++) pushEvent(j + m);
    } else {
      for (let m = 0; m < bestK; m++) pushEvent(j + m);
      const seqs: number[] = [];
      for (let m = bestK; m < bestK * bestReps; m++) seqs.push(events[picked[j + m]!]!.seq);
      const rowIndex = rows.length;
      for (const s of seqs) rowOfSeq.set(s, rowIndex);
      const startTime = events[picked[j + bestK]!]!.time;
      rows.push({
        type: 'collapsed',
        group,
        y: rowIndex * rowHeight,
        time: startTime,
        endTime: last.time,
        blockSize: bestK,
        hiddenRepeats: bestReps - 1,
        seqs,
        label: `▸ ${bestReps - 1}× more of the same ${bestK === 1 ? 'event' : `${bestK} events`} (${seqs.length} events, click to unfold)`,
      });
    }
    j += bestK * bestReps;
  }

  return {
    lifelines,
    rows,
    width: gutter + Math.max(1, lifelines.length) * columnWidth,
    height: rows.length * rowHeight,
    rowHeight,
    gutter,
    eventCount: n,
    rowOfSeq,
  };
}

/** What {@link layoutSequence} needs of a whole trace, whatever the scrub time. */
export interface PreparedSequence {
  /** How each event is drawn (resilience notes moved onto their host service). */
  views: EventView[];
  /** Lifeline ids in order: client first, world last, the rest by first appearance. */
  ids: string[];
  /** Whether bookkeeping events count. */
  quiet: boolean;
}

/**
 * Describes every event of a trace and orders the lifelines, once per trace.
 *
 * @example
 * const prepared = prepareSequence(events);
 * for (const t of [0, 100, 200]) layoutSequence(events, { until: t, prepared });
 */
export function prepareSequence(events: readonly TraceEvent[], quiet = false): PreparedSequence {
  const views: EventView[] = new Array(events.length);
  const order = new Map<string, number>();
  const hosts = patternHosts(events);
  for (let i = 0; i < events.length; i++) {
    const v = placeOnHost(describeEvent(events[i]!), hosts);
    views[i] = v;
    if (v.quiet && !quiet) continue;
    if (!order.has(v.from)) order.set(v.from, order.size);
    if (!order.has(v.to)) order.set(v.to, order.size);
  }
  const rank = (id: string) => (id === 'client' ? -1 : id === 'world' ? 1e9 : order.get(id)!);
  const ids = [...order.keys()].sort((a, b) => rank(a) - rank(b));
  return { views, ids, quiet };
}

function sameBlock(sig: Int32Array, a: number, b: number, k: number): boolean {
  for (let i = 0; i < k; i++) if (sig[a + i] !== sig[b + i]) return false;
  return true;
}

/**
 * The rows to render for a scrolled viewport: `[start, end)` indices, with
 * `overscan` extra rows on each side.
 *
 * @example
 * const { start, end } = visibleRows(layout, scroller.scrollTop, scroller.clientHeight);
 */
export function visibleRows(
  layout: Pick<SequenceLayout, 'rows' | 'rowHeight'>,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / layout.rowHeight) - overscan);
  const end = Math.min(layout.rows.length, Math.ceil((scrollTop + viewportHeight) / layout.rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}
