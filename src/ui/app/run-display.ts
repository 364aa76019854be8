import type { RunError, RunErrorKind, RunReport } from '../../runner/protocol.js';
import type { CodeMarker } from '../editor/code-editor.js';
import type { RunSummary } from '../run-toolbar.js';

/** What each kind of run error is called on the page. */
const TITLES: Record<RunErrorKind, string> = {
  syntax: 'Syntax error',
  import: 'Import not allowed',
  runtime: 'Your code threw an error',
  unhandled: 'A promise was rejected and nothing handled it',
  'stack-overflow': 'Endless recursion',
  memory: 'Out of memory',
  unfinished: 'The code never finished',
  'infinite-loop': 'The code never paused',
  timeout: 'Out of time',
  budget: 'Too much work',
  stopped: 'Stopped by you',
  sandbox: 'The sandbox failed',
};

/** What to do, for errors whose message (the engine's own words) does not say it. */
const ADVICE: Partial<Record<RunErrorKind, string>> = {
  syntax: 'Fix the marked spot and run again.',
  runtime: 'The marked line is where it was thrown.',
  unhandled: 'Await that promise inside a try/catch, or add a .catch() to it.',
  'stack-overflow': 'A function keeps calling itself: check the condition that should end the recursion.',
  sandbox: 'This is not your code’s fault: run again, and reload the page if it keeps happening.',
};

/** What the engine or the runner put before a message that the title now says. */
const REDUNDANT_PREFIX: Partial<Record<RunErrorKind, RegExp>> = {
  syntax: /^SyntaxError: /,
  unhandled: /^Unhandled promise rejection: /,
};

/**
 * A run's error in plain words, for the box above the views: what happened
 * (a title by kind, never the raw kind), the details, and what to do.
 *
 * @example
 * runErrorText({ kind: 'syntax', message: 'SyntaxError: Unexpected token', line: 2 });
 * // 'Syntax error: Unexpected token (line 2). Fix the marked spot and run again.'
 */
export function runErrorText(error: RunError): string {
  let detail = firstLine(error);
  if (error.kind === 'syntax' && error.line) detail += ` (line ${error.line}${error.column ? `:${error.column}` : ''}).`;
  if (error.kind === 'memory' && !/memory/i.test(detail)) {
    detail += ` — your code asked for more memory than there is: an array, string or buffer too long (or of a negative length). Look for one that grows without end.`;
  }
  const advice = ADVICE[error.kind];
  return `${TITLES[error.kind]}: ${withStop(detail)}${advice ? ` ${advice}` : ''}`;
}

/** Which file an opened trace came from (absent: what is shown is a run of the code). */
export interface ShownTrace {
  openedFile?: string | undefined;
}

/** How a run ended, in the toolbar's words: "Finished", or "Stopped …" and why, or what went wrong; or which trace file is shown. */
export function runSummary(report: RunReport, shown: ShownTrace = {}): RunSummary {
  const summary: RunSummary = { status: report.status, message: runHeadline(report), wallMs: report.wallMs, events: report.events.length, virtualTime: report.virtualTime };
  return shown.openedFile === undefined ? summary : { ...summary, openedFile: shown.openedFile };
}

function runHeadline(report: RunReport): string {
  const e = report.error;
  if (report.status === 'ok' || !e) return report.status === 'ok' ? 'Finished' : 'Stopped';
  const where = e.line ? ` on line ${e.line}` : '';
  switch (report.status) {
    case 'stopped':
      if (e.kind === 'memory') return 'Stopped by you: the sandbox had crashed (out of memory?)';
      return report.events.length === 0 ? 'Stopped by you: the code was busy and never paused' : 'Stopped by you';
    case 'timeout':
      return e.kind === 'infinite-loop' ? 'Stopped: the code never paused (an endless loop?)' : 'Stopped: out of time';
    case 'budget':
      return 'Stopped: too much work (see why below)';
    case 'error':
      if (e.kind === 'runtime' || e.kind === 'unhandled') return `${e.kind === 'runtime' ? 'Error' : 'Unhandled rejection'}${where}: ${firstLine(e)}`;
      // "main() never finished: …" names what never finished.
      if (e.kind === 'unfinished') return e.message.split(':')[0]!;
      return `${TITLES[e.kind]}${where}`;
  }
}

/**
 * Why the checks cannot judge this run, or `undefined` when they can. They
 * judge only a run that ended by itself (finished, failed, or spent its event
 * budget: the same every time): not one that was stopped, or ran out of
 * time, halfway; and not code that produced nothing because it never ran.
 * No check is ever shown as passing for code that did not run, nor for a
 * trace file the learner opened (it was recorded elsewhere, not by this code).
 *
 * @example
 * checksNotRun(report) ?? evaluateChecks(example, report);
 */
export function checksNotRun(report: RunReport, shown: ShownTrace = {}): string | undefined {
  if (shown.openedFile !== undefined) return 'The checks are not judged for an opened trace: it was recorded elsewhere, not by the code in the editor. Run the code to check it.';
  if (report.status === 'stopped') return 'The checks were not run: the run was stopped before it finished. Run the code to check it.';
  if (report.status === 'timeout') return 'The checks were not run: the run ran out of time before it finished. Fix what stopped it, then run again.';
  if (report.status !== 'ok' && report.events.length === 0) return 'The checks were not run: the code did not get to do anything (see the error). Fix it, then run again.';
  return undefined;
}

/** The editor's marks for a run: its error, where the error has a line. */
export function runMarkers(report: RunReport | undefined): CodeMarker[] {
  const e = report?.error;
  return e?.line ? [{ line: e.line, ...(e.column ? { column: e.column } : {}), message: e.message, severity: 'error' }] : [];
}

/** The first line of an error's message, without what its title already says. */
function firstLine(e: RunError): string {
  const prefix = REDUNDANT_PREFIX[e.kind];
  const text = e.message.split('\n')[0]!;
  return prefix ? text.replace(prefix, '') : text;
}

function withStop(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
