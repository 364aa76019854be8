import { isValidExampleId } from './example-id.js';
import {
  KEY_PREFIX,
  isPlainObject,
  isTimestamp,
  keysWithPrefix,
  readExampleRecord,
  removeItem,
  writeItem,
  type ShapeCheck,
  type StorageProblem,
} from './storage-problem.js';
import type { StorageLike } from './storage-like.js';

/** Prefix of draft keys: `spp.draft.<exampleId>`. */
export const DRAFT_KEY_PREFIX = `${KEY_PREFIX}draft.`;

/** Edited code of one example, kept across reloads. */
export interface Draft {
  exampleId: string;
  code: string;
  /** When it was saved, as given by the caller (milliseconds since the epoch, say). */
  savedAt: number;
  /** Version of the example's original code the edit started from, as given by the caller. */
  exampleVersion: string;
}

/** What the caller supplies with each save: no clock is read here. */
export interface SaveDraftOptions {
  now: number;
  exampleVersion: string;
}

/** Result of a write: nothing, or a problem (the editor's contents are untouched either way). */
export type WriteResult = { ok: true } | { ok: false; problem: StorageProblem };

/** Result of {@link loadDraft}: `draft` is undefined when none is saved. */
export type LoadDraftResult = { ok: true; draft: Draft | undefined } | { ok: false; problem: StorageProblem };

interface DraftRecordV1 extends Draft {
  v: 1;
}

/** The storage key of an example's draft. */
export function draftKey(exampleId: string): string {
  return `${DRAFT_KEY_PREFIX}${exampleId}`;
}

/**
 * Saves the code of an example. Never throws: a full or disabled storage
 * gives `{ ok: false, problem }` whose message says the draft was not saved.
 *
 * @example
 * const r = saveDraft(localStorage, 'retry', editor.getValue(), { now: Date.now(), exampleVersion: 'a1b2' });
 * if (!r.ok) showBanner(r.problem.message);
 */
export function saveDraft(storage: StorageLike, exampleId: string, code: string, options: SaveDraftOptions): WriteResult {
  const what = `your edits of "${exampleId}" were not saved (they are still in the editor)`;
  if (!isValidExampleId(exampleId)) {
    return { ok: false, problem: { kind: 'invalid', message: `"${exampleId}" is not a valid example id, so ${what}.` } };
  }
  if (typeof code !== 'string' || !isTimestamp(options.now) || typeof options.exampleVersion !== 'string') {
    return {
      ok: false,
      problem: { kind: 'invalid', message: `The draft, its time or its version is not of the right type, so ${what}.` },
    };
  }
  const record: DraftRecordV1 = { v: 1, exampleId, code, savedAt: options.now, exampleVersion: options.exampleVersion };
  const written = writeItem(storage, draftKey(exampleId), JSON.stringify(record), what);
  return written.ok ? { ok: true } : written;
}

/**
 * Loads the saved draft of an example. Unreadable saved data is moved to a
 * `spp.corrupt.…` key (never deleted) and reported as a 'corrupt' problem
 * whose message says the original code is shown instead.
 *
 * @example
 * const r = loadDraft(localStorage, 'retry');
 * const code = r.ok && r.draft ? r.draft.code : original;
 */
export function loadDraft(storage: StorageLike, exampleId: string): LoadDraftResult {
  const read = readExampleRecord(storage, exampleId, {
    key: draftKey(exampleId),
    check: (value) => checkDraft(value, exampleId),
    label: `Your saved draft of "${exampleId}"`,
    fallback: "The example's original code is shown instead.",
    noun: 'draft',
  });
  return read.ok ? { ok: true, draft: read.value } : read;
}

/**
 * Forgets the draft of an example (after the user reverts to the original).
 *
 * @example
 * clearDraft(localStorage, 'retry');
 */
export function clearDraft(storage: StorageLike, exampleId: string): WriteResult {
  const removed = removeItem(storage, draftKey(exampleId), `the draft of "${exampleId}" was not removed`);
  return removed.ok ? { ok: true } : removed;
}

/**
 * Ids of the examples that have a saved draft, sorted (for marking them in the list).
 *
 * @example
 * const r = listDrafts(localStorage); // { ok: true, exampleIds: ['retry'] }
 */
export function listDrafts(storage: StorageLike): { ok: true; exampleIds: string[] } | { ok: false; problem: StorageProblem } {
  const keys = keysWithPrefix(storage, DRAFT_KEY_PREFIX, 'the list of saved drafts could not be read');
  if (!keys.ok) return keys;
  return {
    ok: true,
    exampleIds: keys.value.map((k) => k.slice(DRAFT_KEY_PREFIX.length)).filter((id) => isValidExampleId(id)),
  };
}

function checkDraft(value: unknown, exampleId: string): ShapeCheck<Draft> {
  if (!isPlainObject(value)) return { ok: false, reason: 'wrong-shape', detail: 'it is not an object' };
  if (value['v'] !== 1) {
    return { ok: false, reason: 'wrong-version', detail: `its format version is ${JSON.stringify(value['v'] ?? null)}, not 1` };
  }
  const { code, savedAt, exampleVersion } = value;
  if (value['exampleId'] !== exampleId) {
    return { ok: false, reason: 'wrong-shape', detail: 'it belongs to another example' };
  }
  if (typeof code !== 'string' || !isTimestamp(savedAt) || typeof exampleVersion !== 'string') {
    return { ok: false, reason: 'wrong-shape', detail: 'it lacks its code, time or version' };
  }
  return { ok: true, value: { exampleId, code, savedAt, exampleVersion } };
}
