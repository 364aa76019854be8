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

/** Prefix of progress keys: `spp.progress.<exampleId>`. */
export const PROGRESS_KEY_PREFIX = `${KEY_PREFIX}progress.`;

/** Outcome of one exercise check. */
export type CheckStatus = 'passed' | 'failed';

/** The latest outcome of one check and when it happened (caller's clock). */
export interface CheckRecord {
  status: CheckStatus;
  at: number;
}

/** What the learner achieved in one example. */
export interface ExampleProgress {
  exampleId: string;
  /** Latest outcome of each check, by check id. */
  checks: Record<string, CheckRecord>;
  /** When the exercise was first solved (all checks passed at once); kept after later failures. */
  solvedAt?: number;
}

/** One check's outcome in a run, as the exercise reports it. */
export interface CheckOutcome {
  checkId: string;
  passed: boolean;
}

/** Result of {@link loadProgress}. */
export type LoadProgressResult = { ok: true; progress: ExampleProgress | undefined } | { ok: false; problem: StorageProblem };

/**
 * Result of {@link recordCheckResults}. `setAside` reports earlier progress of
 * the example that was unreadable and was moved aside before writing.
 */
export type RecordProgressResult =
  | { ok: true; progress: ExampleProgress; setAside?: StorageProblem }
  | { ok: false; problem: StorageProblem };

/** The storage key of an example's progress. */
export function progressKey(exampleId: string): string {
  return `${PROGRESS_KEY_PREFIX}${exampleId}`;
}

/** Whether `id` can name an exercise check: 1–64 of `A-Z a-z 0-9 _ . : -`, starting with a letter or digit. */
export function isValidCheckId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(id);
}

/**
 * Loads the progress of one example; unreadable data is set aside and reported.
 *
 * @example
 * const r = loadProgress(localStorage, 'retry');
 * const solved = r.ok && r.progress?.solvedAt !== undefined;
 */
export function loadProgress(storage: StorageLike, exampleId: string): LoadProgressResult {
  const read = readExampleRecord(storage, exampleId, {
    key: progressKey(exampleId),
    check: (value) => checkStoredProgress(value, exampleId),
    label: `Your saved progress in "${exampleId}"`,
    fallback: 'The example is shown as not attempted.',
    noun: 'progress',
  });
  return read.ok ? { ok: true, progress: read.value } : read;
}

/**
 * Loads the progress of every example, sorted by id. Unreadable records are
 * set aside and listed in `problems`; the rest is still returned.
 *
 * @example
 * const { progress, problems } = loadAllProgress(localStorage);
 */
export function loadAllProgress(storage: StorageLike): { progress: ExampleProgress[]; problems: StorageProblem[] } {
  const keys = keysWithPrefix(storage, PROGRESS_KEY_PREFIX, 'your saved progress could not be read');
  if (!keys.ok) return { progress: [], problems: [keys.problem] };
  const progress: ExampleProgress[] = [];
  const problems: StorageProblem[] = [];
  for (const key of keys.value) {
    const id = key.slice(PROGRESS_KEY_PREFIX.length);
    if (!isValidExampleId(id)) continue;
    const r = loadProgress(storage, id);
    if (!r.ok) problems.push(r.problem);
    else if (r.progress !== undefined) progress.push(r.progress);
  }
  return { progress, problems };
}

/**
 * Records the outcome of an exercise check run. Each check keeps its latest
 * outcome; `solvedAt` is set the first time `solved` is true and never
 * cleared by later failures.
 *
 * @example
 * recordCheckResults(localStorage, 'retry',
 *   [{ checkId: 'jitter', passed: true }, { checkId: 'max-attempts', passed: true }],
 *   { now: Date.now(), solved: true });
 */
export function recordCheckResults(
  storage: StorageLike,
  exampleId: string,
  outcomes: readonly CheckOutcome[],
  options: { now: number; solved: boolean },
): RecordProgressResult {
  const notSaved = `the result of this check run in "${exampleId}" was not saved`;
  if (!isValidExampleId(exampleId) || !isTimestamp(options.now) || !outcomes.every((o) => isValidCheckId(o.checkId))) {
    return { ok: false, problem: { kind: 'invalid', message: `An example id, check id or time is invalid, so ${notSaved}.` } };
  }
  const previous = loadProgress(storage, exampleId);
  let setAside: StorageProblem | undefined;
  let base: ExampleProgress | undefined;
  if (previous.ok) base = previous.progress;
  else if (previous.problem.kind === 'corrupt' && previous.problem.setAsideKey !== undefined) setAside = previous.problem;
  else return { ok: false, problem: previous.problem };

  const update: ExampleProgress = { exampleId, checks: {} };
  for (const o of outcomes) update.checks[o.checkId] = { status: o.passed ? 'passed' : 'failed', at: options.now };
  if (options.solved) update.solvedAt = options.now;
  const progress = mergeProgress(base, update);
  const written = writeItem(storage, progressKey(exampleId), progressRecordJson(progress), notSaved);
  if (!written.ok) return written;
  return setAside === undefined ? { ok: true, progress } : { ok: true, progress, setAside };
}

/**
 * Forgets the progress of one example.
 *
 * @example
 * resetProgress(localStorage, 'retry');
 */
export function resetProgress(storage: StorageLike, exampleId: string): { ok: true } | { ok: false; problem: StorageProblem } {
  const r = removeItem(storage, progressKey(exampleId), `the progress of "${exampleId}" was not reset`);
  return r.ok ? { ok: true } : r;
}

/**
 * Combines two progress records of the same example: for each check the
 * later outcome wins (on equal times, `current`'s), and `solvedAt` is the
 * earlier of the two. Pure; neither argument is changed.
 *
 * @example
 * mergeProgress(
 *   { exampleId: 'retry', checks: { a: { status: 'failed', at: 1 } } },
 *   { exampleId: 'retry', checks: { a: { status: 'passed', at: 2 } }, solvedAt: 2 },
 * ); // checks.a is passed at 2, solvedAt 2
 */
export function mergeProgress(current: ExampleProgress | undefined, incoming: ExampleProgress): ExampleProgress {
  const checks: Record<string, CheckRecord> = {};
  for (const [id, rec] of Object.entries(current?.checks ?? {})) checks[id] = { ...rec };
  for (const [id, rec] of Object.entries(incoming.checks)) {
    const mine = checks[id];
    if (mine === undefined || rec.at > mine.at) checks[id] = { ...rec };
  }
  const times = [current?.solvedAt, incoming.solvedAt].filter((t): t is number => t !== undefined);
  const merged: ExampleProgress = { exampleId: incoming.exampleId, checks: sortKeys(checks) };
  if (times.length > 0) merged.solvedAt = Math.min(...times);
  return merged;
}

/** The stored JSON of a progress record, with sorted check ids (so equal progress has equal text). */
export function progressRecordJson(progress: ExampleProgress): string {
  const record: Record<string, unknown> = { v: 1, exampleId: progress.exampleId, checks: sortKeys(progress.checks) };
  if (progress.solvedAt !== undefined) record['solvedAt'] = progress.solvedAt;
  return JSON.stringify(record);
}

/**
 * Checks the fields of a progress entry (shared by stored records and
 * imported files); gives a reason in words when something is wrong.
 */
export function checkProgressFields(
  value: Record<string, unknown>,
  exampleId: string,
  maxChecks = Number.POSITIVE_INFINITY,
): { ok: true; progress: ExampleProgress } | { ok: false; detail: string } {
  const { checks, solvedAt } = value;
  if (!isPlainObject(checks)) return { ok: false, detail: '"checks" is not an object' };
  const entries = Object.entries(checks);
  if (entries.length > maxChecks) return { ok: false, detail: `it has more than ${maxChecks} checks` };
  const out: Record<string, CheckRecord> = {};
  for (const [id, rec] of entries) {
    if (!isValidCheckId(id)) return { ok: false, detail: `"${String(id).slice(0, 40)}" is not a valid check id` };
    if (!isPlainObject(rec) || (rec['status'] !== 'passed' && rec['status'] !== 'failed') || !isTimestamp(rec['at'])) {
      return { ok: false, detail: `check "${id}" needs a status "passed" or "failed" and a time` };
    }
    out[id] = { status: rec['status'], at: rec['at'] };
  }
  if (solvedAt !== undefined && !isTimestamp(solvedAt)) return { ok: false, detail: '"solvedAt" is not a time' };
  const progress: ExampleProgress = { exampleId, checks: sortKeys(out) };
  if (solvedAt !== undefined) progress.solvedAt = solvedAt;
  return { ok: true, progress };
}

function checkStoredProgress(value: unknown, exampleId: string): ShapeCheck<ExampleProgress> {
  if (!isPlainObject(value)) return { ok: false, reason: 'wrong-shape', detail: 'it is not an object' };
  if (value['v'] !== 1) {
    return { ok: false, reason: 'wrong-version', detail: `its format version is ${JSON.stringify(value['v'] ?? null)}, not 1` };
  }
  if (value['exampleId'] !== exampleId) return { ok: false, reason: 'wrong-shape', detail: 'it belongs to another example' };
  const r = checkProgressFields(value, exampleId);
  return r.ok ? { ok: true, value: r.progress } : { ok: false, reason: 'wrong-shape', detail: r.detail };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}
