import { isValidExampleId } from './example-id.js';
import type { StorageLike } from './storage-like.js';

/** Prefix of every key this page writes. */
export const KEY_PREFIX = 'spp.';

/** Prefix of the keys under which unreadable saved data is set aside. */
export const CORRUPT_KEY_PREFIX = 'spp.corrupt.';

/** Why saved data could not be used. */
export type CorruptReason = 'bad-json' | 'wrong-shape' | 'wrong-version';

/**
 * Something went wrong with the browser's storage. Every `message` is a
 * complete sentence for a banner, naming what was affected.
 */
export type StorageProblem =
  /** Storage is disabled, blocked or threw something other than a quota error. */
  | { kind: 'unavailable'; message: string }
  /** The call itself was wrong (an invalid example id, say): a bug in the caller. */
  | { kind: 'invalid'; message: string }
  /** The browser refused to store more for this site. */
  | { kind: 'quota-exceeded'; message: string }
  /**
   * Saved data could not be read. Its raw text was moved to `setAsideKey`
   * (never deleted); when even that failed, `setAsideKey` is undefined and the
   * data was left where it was. `raw` is the text, for a download.
   */
  | { kind: 'corrupt'; message: string; key: string; reason: CorruptReason; raw: string; setAsideKey: string | undefined };

/** Either a value or a problem. */
export type StorageResult<T> = { ok: true; value: T } | { ok: false; problem: StorageProblem };

/** Whether a thrown value is a browser's "storage full" error (all engines' spellings). */
export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}

/**
 * Turns an exception thrown by storage into a problem whose message says what
 * was not done, e.g. `what` = 'the draft of "retry" was not saved'.
 */
export function storageFailure(error: unknown, what: string): StorageProblem {
  if (isQuotaError(error)) {
    return { kind: 'quota-exceeded', message: `The browser's storage for this page is full, so ${what}.` };
  }
  return {
    kind: 'unavailable',
    message: `The browser does not let this page use its storage (it may be disabled or blocked), so ${what}.`,
  };
}

/** Reads a key; null when absent. */
export function readItem(storage: StorageLike, key: string, what: string): StorageResult<string | null> {
  try {
    return { ok: true, value: storage.getItem(key) };
  } catch (error) {
    return { ok: false, problem: storageFailure(error, what) };
  }
}

/** Writes a key. */
export function writeItem(storage: StorageLike, key: string, value: string, what: string): StorageResult<void> {
  try {
    storage.setItem(key, value);
    return { ok: true, value: undefined };
  } catch (error) {
    return { ok: false, problem: storageFailure(error, what) };
  }
}

/** Removes a key. */
export function removeItem(storage: StorageLike, key: string, what: string): StorageResult<void> {
  try {
    storage.removeItem(key);
    return { ok: true, value: undefined };
  } catch (error) {
    return { ok: false, problem: storageFailure(error, what) };
  }
}

/** All keys that start with `prefix`, sorted. */
export function keysWithPrefix(storage: StorageLike, prefix: string, what: string): StorageResult<string[]> {
  try {
    const keys: string[] = [];
    const n = storage.length;
    for (let i = 0; i < n; i++) {
      const key = storage.key(i);
      if (key !== null && key.startsWith(prefix)) keys.push(key);
    }
    return { ok: true, value: keys.sort() };
  } catch (error) {
    return { ok: false, problem: storageFailure(error, what) };
  }
}

/**
 * Copies `raw` to the first free key `spp.corrupt.<key>.<n>` (n = 1, 2, …),
 * then removes `key`. Returns the new key, or undefined when the copy could
 * not be written (the original is then left untouched).
 */
export function setAside(storage: StorageLike, key: string, raw: string): string | undefined {
  try {
    for (let n = 1; n <= 1000; n++) {
      const asideKey = `${CORRUPT_KEY_PREFIX}${key}.${n}`;
      if (storage.getItem(asideKey) !== null) continue;
      storage.setItem(asideKey, raw);
      try {
        storage.removeItem(key);
      } catch {
        // The copy exists; the original stays too. Nothing is lost.
      }
      return asideKey;
    }
  } catch {
    // Fall through: the original stays in place.
  }
  return undefined;
}

/** The outcome of checking a parsed record's shape. */
export type ShapeCheck<T> = { ok: true; value: T } | { ok: false; reason: 'wrong-shape' | 'wrong-version'; detail: string };

/**
 * Reads the JSON record at `key` and checks it with `check`. Absent → value
 * undefined. Unreadable (bad JSON, wrong shape or version) → the raw text is
 * set aside and a 'corrupt' problem returned, whose message starts with
 * `label` (e.g. 'The saved draft of "retry"') and ends with `fallback`
 * (e.g. "The example's original code is shown instead.").
 */
export function readRecord<T>(
  storage: StorageLike,
  key: string,
  check: (value: unknown) => ShapeCheck<T>,
  label: string,
  fallback: string,
): StorageResult<T | undefined> {
  const read = readItem(storage, key, `${lowerFirst(label)} could not be read`);
  if (!read.ok) return read;
  const raw = read.value;
  if (raw === null) return { ok: true, value: undefined };
  let parsed: unknown;
  let reason: CorruptReason;
  let detail: string;
  try {
    parsed = JSON.parse(raw);
    const checked = check(parsed);
    if (checked.ok) return { ok: true, value: checked.value };
    reason = checked.reason;
    detail = checked.detail;
  } catch {
    reason = 'bad-json';
    detail = 'it is not valid JSON';
  }
  const setAsideKey = setAside(storage, key, raw);
  const where =
    setAsideKey === undefined
      ? 'It could not be moved aside either, so it was left where it was.'
      : `It was moved, unchanged, to the storage key "${setAsideKey}".`;
  return {
    ok: false,
    problem: {
      kind: 'corrupt',
      key,
      reason,
      raw,
      setAsideKey,
      message: `${label} could not be read (${detail}). ${where} ${fallback}`,
    },
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Whether `value` is a plain object (made by `{}` or JSON.parse), not an array or class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Whether `value` is a finite, non-negative number (a timestamp supplied by the caller). */
export function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Where one example's record is kept and how it is checked; see {@link readExampleRecord}. */
export interface ExampleRecordSpec<T> {
  key: string;
  check: (value: unknown) => ShapeCheck<T>;
  /** How the message names the record, e.g. `Your saved draft of "retry"`. */
  label: string;
  /** What the page does instead, said in the message. */
  fallback: string;
  /** The record's kind in the message for an invalid id, e.g. `draft`. */
  noun: string;
}

/**
 * {@link readRecord} for one example's record: an invalid example id is
 * refused first, so it never becomes part of a storage key.
 */
export function readExampleRecord<T>(storage: StorageLike, exampleId: string, spec: ExampleRecordSpec<T>): StorageResult<T | undefined> {
  if (!isValidExampleId(exampleId)) {
    return { ok: false, problem: { kind: 'invalid', message: `"${exampleId}" is not a valid example id; no ${spec.noun} was read.` } };
  }
  return readRecord(storage, spec.key, spec.check, spec.label, spec.fallback);
}
