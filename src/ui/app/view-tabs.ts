/** The views below the editor, one tab each. */
export type ViewTab = 'sequence' | 'map' | 'breakers' | 'sagas' | 'logs' | 'metrics' | 'result' | 'checks' | 'faults' | 'compare' | 'explore';

/** The tabs in order, with their labels. */
export const VIEW_TABS: ReadonlyArray<readonly [ViewTab, string]> = [
  ['sequence', 'Sequence'],
  ['map', 'Map'],
  ['breakers', 'Breakers'],
  ['sagas', 'Sagas'],
  ['logs', 'Logs'],
  ['metrics', 'Metrics'],
  ['result', 'Result'],
  ['checks', 'Checks'],
  ['faults', 'Faults'],
  ['explore', 'Explore'],
  ['compare', 'Compare'],
];

/**
 * The tab a key moves to in a tab list (the ARIA tabs pattern): ←/→ to the
 * previous/next (wrapping around at the ends), Home/End to the first/last;
 * undefined for any other key.
 *
 * @example
 * itemAfterKey(['a', 'b', 'c'], 'a', 'ArrowLeft'); // 'c'
 */
export function itemAfterKey<T>(items: readonly T[], current: T, key: string): T | undefined {
  const i = items.indexOf(current);
  const n = items.length;
  if (key === 'ArrowRight') return items[(i + 1) % n];
  if (key === 'ArrowLeft') return items[(i - 1 + n) % n];
  if (key === 'Home') return items[0];
  if (key === 'End') return items[n - 1];
  return undefined;
}

/**
 * The view tab a key moves to from `current`, or undefined for a key that
 * does not move (see {@link itemAfterKey}).
 *
 * @example
 * tabAfterKey('sequence', 'ArrowLeft'); // 'compare'
 */
export function tabAfterKey(current: ViewTab, key: string): ViewTab | undefined {
  return itemAfterKey(
    VIEW_TABS.map(([t]) => t),
    current,
    key,
  );
}

/**
 * Keyboard handler of a tab list: a key that moves selects that tab (through
 * `select`, which resolves once it is rendered) and takes the focus along.
 *
 * @example
 * html`<div role="tablist" @keydown=${(e) => moveInTablist(e, tabAfterKey(tab, e.key), select)}>`
 */
export function moveInTablist<T>(e: KeyboardEvent, next: T | undefined, select: (item: T) => Promise<unknown>): void {
  if (next === undefined) return;
  e.preventDefault();
  const list = e.currentTarget as HTMLElement;
  void select(next).then(() => list.querySelector<HTMLElement>(`[role='tab'][aria-selected='true']`)?.focus());
}
