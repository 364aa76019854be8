/** The views below the editor, one tab each. */
export type ViewTab = 'sequence' | 'map' | 'breakers' | 'sagas' | 'logs' | 'metrics' | 'result' | 'checks' | 'faults';

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
];

/**
 * The tab an arrow key moves to from `current` (wrapping around at the
 * ends), or undefined for any other key.
 *
 * @example
 * tabAfterKey('sequence', 'ArrowLeft'); // 'faults'
 */
export function tabAfterKey(current: ViewTab, key: string): ViewTab | undefined {
  const i = VIEW_TABS.findIndex(([t]) => t === current);
  const n = VIEW_TABS.length;
  if (key === 'ArrowRight') return VIEW_TABS[(i + 1) % n]![0];
  if (key === 'ArrowLeft') return VIEW_TABS[(i - 1 + n) % n]![0];
  return undefined;
}
