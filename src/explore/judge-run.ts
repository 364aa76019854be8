import type { ExecutedRun } from '../runner/protocol.js';
export type { RunProgram, Seed } from './run-program.js';

/** A predicate over a run. An example's exercise checks have this shape. */
export interface ExploreCheck {
  id: string;
  title: string;
  check(run: ExecutedRun): { passed: boolean; message: string };
}

/** What can fail in a run: one of the checks, one of the program's invariants, or the run itself. */
export type FailureTarget = { kind: 'check'; id: string } | { kind: 'invariant'; name: string } | { kind: 'error'; key: string };

/** The verdict of one check or invariant on one run. */
export interface Verdict {
  /** `check:<id>` or `invariant:<name>` (see {@link targetKey}). */
  key: string;
  title: string;
  passed: boolean;
  message?: string;
}

/** How a run that did not end well ended, and the group it belongs to. */
export interface RunFailure {
  /** `error:<group>` (see {@link errorGroupOf}). */
  key: string;
  kind: string;
  message: string;
}

/** What a run showed: a verdict per check and invariant, and how it failed, if it did. */
export interface RunJudgement {
  verdicts: Verdict[];
  error?: RunFailure;
}

/** The key of a target, the same in verdicts, tallies and failing cases. */
export function targetKey(target: FailureTarget): string {
  switch (target.kind) {
    case 'check':
      return `check:${target.id}`;
    case 'invariant':
      return `invariant:${target.name}`;
    case 'error':
      return `error:${target.key}`;
  }
}

/**
 * The keys of a list of checks, in order: `check:<id>`, and `check:<id>#2`,
 * `#3`, … for an id that comes again (examples may repeat an id across their
 * exercises), so every check is counted on its own.
 */
export function checkKeys(checks: readonly ExploreCheck[]): string[] {
  const seen = new Map<string, number>();
  return checks.map((c) => {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    return targetKey({ kind: 'check', id: n === 1 ? c.id : `${c.id}#${n}` });
  });
}

/** The target of a key made by {@link targetKey}. */
export function targetOf(key: string): FailureTarget {
  const i = key.indexOf(':');
  const [kind, rest] = [key.slice(0, i), key.slice(i + 1)];
  if (kind === 'check') return { kind, id: rest };
  if (kind === 'invariant') return { kind, name: rest };
  return { kind: 'error', key: rest };
}

/**
 * The group of a run error: its kind and message with every number written
 * `#`, so the same failure at other times or counts falls in one group (a
 * program that throws on every seed is one group, not a thousand).
 *
 * @example
 * errorGroupOf({ kind: 'budget', message: 'used its budget of 1,000 callbacks at 3,200 ms' });
 * // 'budget: used its budget of # callbacks at # ms'
 */
export function errorGroupOf(error: { kind: string; message: string }): string {
  return `${error.kind}: ${error.message.replace(/\d[\d,.]*/g, '#')}`;
}

const MAX_MESSAGE = 300;
const cut = (s: string) => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);

/**
 * Judges one run: every check (a check that throws fails with the error),
 * every invariant the program registered, and the run's own status (anything
 * but `ok` is a failure: an error, a timeout, a spent budget).
 */
export function judgeRun(run: ExecutedRun, checks: readonly ExploreCheck[]): RunJudgement {
  const keys = checkKeys(checks);
  const verdicts: Verdict[] = checks.map((c, i) => {
    const key = keys[i]!;
    try {
      const r = c.check(run);
      return r.passed ? { key, title: c.title, passed: true } : { key, title: c.title, passed: false, message: cut(String(r.message)) };
    } catch (e) {
      return { key, title: c.title, passed: false, message: cut(`the check threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`) };
    }
  });
  for (const i of run.invariants ?? []) {
    const v: Verdict = { key: targetKey({ kind: 'invariant', name: i.name }), title: i.name, passed: i.passed };
    if (!i.passed) v.message = cut(i.message ?? 'failed');
    verdicts.push(v);
  }
  const judgement: RunJudgement = { verdicts };
  if (run.status !== 'ok') {
    const error = run.error ?? { kind: run.status, message: `The run ended with status ${run.status}.` };
    judgement.error = { key: targetKey({ kind: 'error', key: errorGroupOf(error) }), kind: error.kind, message: cut(error.message) };
  }
  return judgement;
}

/** Whether a judged run fails `target` (a key from {@link targetKey}), and with what message. */
export function failureOf(judgement: RunJudgement, target: string): string | undefined {
  if (judgement.error?.key === target) return judgement.error.message;
  const v = judgement.verdicts.find((x) => x.key === target);
  return v && !v.passed ? (v.message ?? 'failed') : undefined;
}
