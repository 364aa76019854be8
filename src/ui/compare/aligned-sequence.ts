import type { SequenceLayout, SequenceRow } from '../views/sequence-model.js';

/** Two sequence diagrams laid out on one time axis. */
export interface AlignedSequences {
  /** The rows of each diagram, moved down so that rows of the same virtual time share a height. */
  a: SequenceRow[];
  b: SequenceRow[];
  /** Height of both bodies, px. */
  height: number;
  rowHeight: number;
  /** Where each distinct virtual time starts (px from the top): the rows of both sides at `time` begin at `y`. */
  bands: Array<{ time: number; y: number }>;
}

/**
 * Aligns two laid-out sequence diagrams (see `layoutSequence`) by virtual
 * time: walking both in time order, the rows of each distinct time go side
 * by side, and the side with fewer rows at that time leaves a gap. So a row
 * and the row beside it always happened at the same virtual time (or one
 * side has nothing then), and one scroll position shows the same moment in
 * both. Both layouts must use the same row height.
 *
 * @example
 * const aligned = alignSequences(layoutSequence(runA.events), layoutSequence(runB.events));
 * aligned.a[0].y === aligned.b[0].y; // both start at the first time either has
 */
export function alignSequences(a: Pick<SequenceLayout, 'rows' | 'rowHeight'>, b: Pick<SequenceLayout, 'rows' | 'rowHeight'>): AlignedSequences {
  const h = a.rowHeight;
  if (b.rowHeight !== h) throw new RangeError(`alignSequences: both layouts need the same row height (${h} and ${b.rowHeight})`);
  const outA: SequenceRow[] = [];
  const outB: SequenceRow[] = [];
  const bands: AlignedSequences['bands'] = [];
  let i = 0;
  let j = 0;
  let slot = 0;
  const ra = a.rows;
  const rb = b.rows;
  while (i < ra.length || j < rb.length) {
    const t = Math.min(i < ra.length ? ra[i]!.time : Infinity, j < rb.length ? rb[j]!.time : Infinity);
    let na = 0;
    while (i + na < ra.length && ra[i + na]!.time <= t) {
      outA.push({ ...ra[i + na]!, y: (slot + na) * h });
      na++;
    }
    let nb = 0;
    while (j + nb < rb.length && rb[j + nb]!.time <= t) {
      outB.push({ ...rb[j + nb]!, y: (slot + nb) * h });
      nb++;
    }
    bands.push({ time: t, y: slot * h });
    i += na;
    j += nb;
    slot += Math.max(na, nb);
  }
  return { a: outA, b: outB, height: slot * h, rowHeight: h, bands };
}

/**
 * The rows of one side within `[top, bottom)` px (plus `overscan` rows
 * each way), by binary search: rows are in y order.
 */
export function rowsInView(rows: readonly SequenceRow[], rowHeight: number, top: number, bottom: number, overscan = 8): { start: number; end: number } {
  const first = top - overscan * rowHeight;
  const last = bottom + overscan * rowHeight;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.y + rowHeight <= first) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < rows.length && rows[end]!.y < last) end++;
  return { start: lo, end };
}

/** The band (virtual time) at a scroll position: what the time readout above both diagrams says. */
export function timeAt(aligned: Pick<AlignedSequences, 'bands'>, y: number): number | undefined {
  const bands = aligned.bands;
  let lo = 0;
  let hi = bands.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bands[mid]!.y <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? bands[lo - 1]!.time : bands[0]?.time;
}
