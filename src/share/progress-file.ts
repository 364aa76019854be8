import { isValidExampleId, type ExampleCatalogue } from './example-id.js';
import { MAX_CHECKS_PER_EXAMPLE, MAX_PROGRESS_EXAMPLES, MAX_PROGRESS_FILE_CHARS } from './limits.js';
import {
  checkProgressFields,
  loadAllProgress,
  loadProgress,
  mergeProgress,
  progressKey,
  progressRecordJson,
  type ExampleProgress,
} from './progress.js';
import { isPlainObject, isTimestamp, writeItem, type StorageProblem } from './storage-problem.js';
import type { StorageLike } from './storage-like.js';

/*
 * Progress file, version 1 (what exportProgress writes, pretty-printed):
 *
 *   { "format": "service-patterns-playground/progress", "version": 1,
 *     "exportedAt": 1767225600000,            // optional, the caller's clock
 *     "examples": { "<example id>": { "checks": { "<check id>": { "status": "passed", "at": <time> } },
 *                                     "solvedAt": <time> } } }   // solvedAt optional
 */

/** The `format` field of a progress file. */
export const PROGRESS_FILE_FORMAT = 'service-patterns-playground/progress';

/** Result of {@link exportProgress}: the file text, or why nothing could be read. */
export type ExportProgressResult =
  | { ok: true; text: string; exampleCount: number; problems: StorageProblem[] }
  | { ok: false; problem: StorageProblem };

/** An example entry of an imported file that was not used, and why (a phrase for a list). */
export interface RejectedProgressEntry {
  exampleId: string;
  reason: string;
}

/** Why a whole progress file was refused; nothing was written. */
export interface ProgressFileError {
  kind: 'too-large' | 'not-json' | 'not-progress-file' | 'unknown-version';
  message: string;
}

/**
 * Result of {@link importProgress}. With `ok: true` the file was valid as a
 * whole: `imported` examples gained something, `unchanged` ones already had
 * all of it, `rejected` entries were invalid and skipped, `notSaved` ones hit
 * a storage error, and `problems` lists existing records found unreadable
 * (set aside before the import was written). `message` sums it up for a banner.
 */
export type ImportProgressResult =
  | {
      ok: true;
      imported: string[];
      unchanged: string[];
      rejected: RejectedProgressEntry[];
      notSaved: { exampleId: string; problem: StorageProblem }[];
      problems: StorageProblem[];
      message: string;
    }
  | { ok: false; error: ProgressFileError };

/**
 * Writes all saved progress as the text of a JSON file (sorted, so the same
 * progress gives the same text). Unreadable records are set aside, left out
 * and listed in `problems`.
 *
 * @example
 * const r = exportProgress(localStorage, { now: Date.now() });
 * if (r.ok) download('progress.json', r.text);
 */
export function exportProgress(storage: StorageLike, options: { now?: number } = {}): ExportProgressResult {
  const all = loadAllProgress(storage);
  const listing = all.problems.find((p) => p.kind !== 'corrupt');
  if (listing !== undefined && all.progress.length === 0) return { ok: false, problem: listing };
  const examples: Record<string, unknown> = {};
  for (const p of all.progress) {
    const entry: Record<string, unknown> = { checks: p.checks };
    if (p.solvedAt !== undefined) entry['solvedAt'] = p.solvedAt;
    examples[p.exampleId] = entry;
  }
  const file: Record<string, unknown> = { format: PROGRESS_FILE_FORMAT, version: 1 };
  if (options.now !== undefined && isTimestamp(options.now)) file['exportedAt'] = options.now;
  file['examples'] = examples;
  return { ok: true, text: `${JSON.stringify(file, null, 2)}\n`, exampleCount: all.progress.length, problems: all.problems };
}

/**
 * Reads a progress file and merges it into saved progress (see
 * `mergeProgress`: later check outcomes win, earliest solve is kept). The
 * whole file is validated before anything is written; an invalid file
 * changes nothing, an invalid entry is skipped without touching that
 * example's saved progress.
 *
 * @example
 * const r = importProgress(localStorage, await file.text(), { isKnownExample: (id) => catalogue.has(id) });
 * showBanner(r.ok ? r.message : r.error.message);
 */
export function importProgress(
  storage: StorageLike,
  text: string,
  options: { isKnownExample?: ExampleCatalogue } = {},
): ImportProgressResult {
  const refuse = (kind: ProgressFileError['kind'], message: string): ImportProgressResult => ({
    ok: false,
    error: { kind, message: `${message} Your saved progress was not changed.` },
  });
  if (typeof text !== 'string') return refuse('not-json', 'The file could not be read as text.');
  if (text.length > MAX_PROGRESS_FILE_CHARS) {
    return refuse('too-large', `The file is larger than ${MAX_PROGRESS_FILE_CHARS} characters, too large for a progress file.`);
  }
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return refuse('not-json', 'The file is not JSON, so it is not a progress file of this playground.');
  }
  if (!isPlainObject(file) || file['format'] !== PROGRESS_FILE_FORMAT) {
    return refuse('not-progress-file', 'The file is not a progress file of this playground.');
  }
  if (file['version'] !== 1) {
    return refuse(
      'unknown-version',
      `The file has progress format ${JSON.stringify(file['version'] ?? null)}; this page reads format 1.`,
    );
  }
  const examples = file['examples'];
  if (!isPlainObject(examples)) return refuse('not-progress-file', 'The file has no "examples" object.');
  const ids = Object.keys(examples);
  if (ids.length > MAX_PROGRESS_EXAMPLES) {
    return refuse('too-large', `The file lists ${ids.length} examples; at most ${MAX_PROGRESS_EXAMPLES} are read.`);
  }

  const rejected: RejectedProgressEntry[] = [];
  const valid: ExampleProgress[] = [];
  for (const id of ids.sort()) {
    const shownId = id.length > 64 ? `${id.slice(0, 64)}…` : id;
    if (!isValidExampleId(id)) {
      rejected.push({ exampleId: shownId, reason: 'not a valid example id' });
      continue;
    }
    if (options.isKnownExample !== undefined && !options.isKnownExample(id)) {
      rejected.push({ exampleId: id, reason: 'no such example in this version of the playground' });
      continue;
    }
    const entry = examples[id];
    if (!isPlainObject(entry)) {
      rejected.push({ exampleId: id, reason: 'the entry is not an object' });
      continue;
    }
    const checked = checkProgressFields(entry, id, MAX_CHECKS_PER_EXAMPLE);
    if (!checked.ok) rejected.push({ exampleId: id, reason: checked.detail });
    else valid.push(checked.progress);
  }

  const imported: string[] = [];
  const unchanged: string[] = [];
  const notSaved: { exampleId: string; problem: StorageProblem }[] = [];
  const problems: StorageProblem[] = [];
  for (const incoming of valid) {
    const id = incoming.exampleId;
    const current = loadProgress(storage, id);
    let base: ExampleProgress | undefined;
    if (current.ok) base = current.progress;
    else if (current.problem.kind === 'corrupt' && current.problem.setAsideKey !== undefined) problems.push(current.problem);
    else {
      notSaved.push({ exampleId: id, problem: current.problem });
      continue;
    }
    const merged = mergeProgress(base, incoming);
    const json = progressRecordJson(merged);
    if (base !== undefined && progressRecordJson(base) === json) {
      unchanged.push(id);
      continue;
    }
    const written = writeItem(storage, progressKey(id), json, `the imported progress of "${id}" was not saved`);
    if (written.ok) imported.push(id);
    else notSaved.push({ exampleId: id, problem: written.problem });
  }
  return { ok: true, imported, unchanged, rejected, notSaved, problems, message: summary(imported, unchanged, rejected, notSaved) };
}

function summary(
  imported: string[],
  unchanged: string[],
  rejected: RejectedProgressEntry[],
  notSaved: { exampleId: string }[],
): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const parts = [`Imported progress for ${n(imported.length, 'example', 'examples')}.`];
  if (unchanged.length > 0) parts.push(`${n(unchanged.length, 'example was', 'examples were')} already up to date.`);
  if (rejected.length > 0) {
    parts.push(
      `${n(rejected.length, 'entry was', 'entries were')} skipped: ${rejected.map((r) => `"${r.exampleId}" (${r.reason})`).join(', ')}.`,
    );
  }
  if (notSaved.length > 0) {
    parts.push(`${n(notSaved.length, 'example', 'examples')} could not be saved: ${notSaved.map((r) => `"${r.exampleId}"`).join(', ')}.`);
  }
  return parts.join(' ');
}
