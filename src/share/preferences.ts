import { isValidExampleId } from './example-id.js';
import { KEY_PREFIX, isPlainObject, readRecord, writeItem, type ShapeCheck, type StorageProblem } from './storage-problem.js';
import type { StorageLike } from './storage-like.js';

/** Storage key of the preferences. */
export const PREFERENCES_KEY = `${KEY_PREFIX}prefs`;

/** Colour theme: follow the system, or force one. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** App-wide settings kept across visits. */
export interface Preferences {
  /** Rerun automatically after each edit. */
  autoRun: boolean;
  /** Theme override; 'system' means none. */
  theme: ThemeChoice;
  /** The example open last, reopened on the next visit; null for none. */
  lastExample: string | null;
  /** Whether the lesson is shown above the code on wide screens (hidden, the code gets its room). */
  lessonOpen: boolean;
  /** Share of the page's width the views column takes on wide screens, in percent (0–100). */
  viewsWidth: number;
}

/** What a first visit gets. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  autoRun: true,
  theme: 'system',
  lastExample: null,
  lessonOpen: true,
  viewsWidth: 40,
});

/**
 * Result of {@link loadPreferences}: always usable preferences (defaults for
 * whatever could not be read), plus the problem when there was one.
 */
export interface LoadPreferencesResult {
  prefs: Preferences;
  problem?: StorageProblem;
}

/**
 * Loads the preferences. Missing fields take their defaults (so fields can be
 * added later); a field of the wrong type, bad JSON or another version makes
 * the record corrupt: it is set aside and the defaults are returned.
 *
 * @example
 * const { prefs, problem } = loadPreferences(localStorage);
 * if (problem) showBanner(problem.message);
 */
export function loadPreferences(storage: StorageLike): LoadPreferencesResult {
  const read = readRecord(storage, PREFERENCES_KEY, checkPreferences, 'Your saved settings', 'The default settings are used.');
  if (!read.ok) return { prefs: { ...DEFAULT_PREFERENCES }, problem: read.problem };
  return { prefs: read.value ?? { ...DEFAULT_PREFERENCES } };
}

/**
 * Saves the preferences. Never throws.
 *
 * @example
 * savePreferences(localStorage, { ...prefs, theme: 'dark' });
 */
export function savePreferences(storage: StorageLike, prefs: Preferences): { ok: true } | { ok: false; problem: StorageProblem } {
  const what = 'your settings were not saved (they apply until the page is closed)';
  const checked = checkPreferences({ v: 1, ...prefs });
  if (!checked.ok) return { ok: false, problem: { kind: 'invalid', message: `A setting has an invalid value, so ${what}.` } };
  const written = writeItem(storage, PREFERENCES_KEY, JSON.stringify({ v: 1, ...checked.value }), what);
  return written.ok ? { ok: true } : written;
}

function checkPreferences(value: unknown): ShapeCheck<Preferences> {
  if (!isPlainObject(value)) return { ok: false, reason: 'wrong-shape', detail: 'it is not an object' };
  if (value['v'] !== 1) {
    return { ok: false, reason: 'wrong-version', detail: `its format version is ${JSON.stringify(value['v'] ?? null)}, not 1` };
  }
  const prefs: Preferences = { ...DEFAULT_PREFERENCES };
  const { autoRun, theme, lastExample, lessonOpen, viewsWidth } = value;
  if (autoRun !== undefined) {
    if (typeof autoRun !== 'boolean') return { ok: false, reason: 'wrong-shape', detail: '"autoRun" is not true or false' };
    prefs.autoRun = autoRun;
  }
  if (theme !== undefined) {
    if (theme !== 'system' && theme !== 'light' && theme !== 'dark') {
      return { ok: false, reason: 'wrong-shape', detail: '"theme" is not "system", "light" or "dark"' };
    }
    prefs.theme = theme;
  }
  if (lastExample !== undefined) {
    if (lastExample !== null && !isValidExampleId(lastExample)) {
      return { ok: false, reason: 'wrong-shape', detail: '"lastExample" is not an example id' };
    }
    prefs.lastExample = lastExample;
  }
  if (lessonOpen !== undefined) {
    if (typeof lessonOpen !== 'boolean') return { ok: false, reason: 'wrong-shape', detail: '"lessonOpen" is not true or false' };
    prefs.lessonOpen = lessonOpen;
  }
  if (viewsWidth !== undefined) {
    if (typeof viewsWidth !== 'number' || !(viewsWidth >= 0 && viewsWidth <= 100)) {
      return { ok: false, reason: 'wrong-shape', detail: '"viewsWidth" is not a percentage' };
    }
    prefs.viewsWidth = viewsWidth;
  }
  return { ok: true, value: prefs };
}
