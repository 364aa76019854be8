/** Which way a figure should move for the second variant to count as an improvement. */
export type Better = 'lower' | 'higher' | 'none';

/** What the change from the first variant to the second did to one row. */
export type Verdict = 'better' | 'worse' | 'same' | 'changed';

/** One row of a compare table: a figure of each variant, their difference and what it means. */
export interface CompareRow {
  /** Stable id (tests and the DOM's `data-row`). */
  key: string;
  /** Heading the row is listed under. */
  group: string;
  label: string;
  /** The figures as shown; `—` where a variant has none. */
  a: string;
  b: string;
  /** The difference as shown (`+12 ms`, `−3`, `fails → passes`), empty when none. */
  delta: string;
  verdict: Verdict;
}

/** How a number is written in a table. */
export type NumberFormat = 'count' | 'ms' | 'mean';

const MINUS = '\u2212';

/** A number as the table shows it: counts whole, means to two places, times in ms to one. */
export function formatNumber(x: number, format: NumberFormat): string {
  if (!Number.isFinite(x)) return '—';
  const text = format === 'count' ? Math.round(x).toLocaleString('en-US') : format === 'ms' ? `${round(x, 1).toLocaleString('en-US')} ms` : round(x, 2).toLocaleString('en-US');
  return text.replace(/^-/, MINUS);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A row for a figure both variants have (or one lacks: `undefined`), with
 * the difference `b − a` and whether it is an improvement. Differences too
 * small to show at the row's precision count as the same.
 *
 * @example
 * numberRow({ key: 'p99', group: 'Client latency', label: 'p99' }, 2400, 900, 'ms', 'lower');
 * // { a: '2,400 ms', b: '900 ms', delta: '−1,500 ms', verdict: 'better', … }
 */
export function numberRow(id: Pick<CompareRow, 'key' | 'group' | 'label'>, a: number | undefined, b: number | undefined, format: NumberFormat, better: Better): CompareRow {
  const show = (x: number | undefined) => (x === undefined ? '—' : formatNumber(x, format));
  if (a === undefined || b === undefined) return { ...id, a: show(a), b: show(b), delta: '', verdict: a === b ? 'same' : 'changed' };
  const digits = format === 'count' ? 0 : format === 'ms' ? 1 : 2;
  const d = round(b - a, digits);
  if (d === 0) return { ...id, a: show(a), b: show(b), delta: '0', verdict: 'same' };
  const delta = `${d > 0 ? '+' : ''}${formatNumber(d, format)}`;
  const verdict: Verdict = better === 'none' ? 'changed' : (better === 'lower') === d < 0 ? 'better' : 'worse';
  return { ...id, a: show(a), b: show(b), delta, verdict };
}

/**
 * A row for a pass/fail outcome (a check, an invariant, the run's status):
 * failing in the first variant and passing in the second is better.
 */
export function outcomeRow(id: Pick<CompareRow, 'key' | 'group' | 'label'>, a: { passed: boolean; text: string } | undefined, b: { passed: boolean; text: string } | undefined): CompareRow {
  const show = (x: { text: string } | undefined) => x?.text ?? '—';
  if (!a || !b) return { ...id, a: show(a), b: show(b), delta: '', verdict: 'changed' };
  if (a.passed === b.passed) return { ...id, a: a.text, b: b.text, delta: a.text === b.text ? '' : 'changed', verdict: a.text === b.text ? 'same' : 'changed' };
  return { ...id, a: a.text, b: b.text, delta: b.passed ? 'now passes' : 'now fails', verdict: b.passed ? 'better' : 'worse' };
}

/** How many rows improved and how many got worse: the one-line summary above a table. */
export function verdictCounts(rows: readonly CompareRow[]): { better: number; worse: number; changed: number } {
  let better = 0;
  let worse = 0;
  let changed = 0;
  for (const r of rows) {
    if (r.verdict === 'better') better++;
    else if (r.verdict === 'worse') worse++;
    else if (r.verdict === 'changed') changed++;
  }
  return { better, worse, changed };
}
