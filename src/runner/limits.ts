/**
 * The budgets of one run, shared by the page (which sends them with a
 * request) and the sandbox's Worker (which enforces them). Plain numbers: no
 * code of either side belongs here.
 */

/** Default wall-clock budget of one run in the sandbox, in ms. */
export const DEFAULT_BUDGET_MS = 2_000;
/**
 * Default event budget: scheduled callbacks one run may take. A Chromium
 * Worker runs roughly 100k–300k of them a second, so a run that never goes
 * quiet (an endless `setInterval`) ends on this deterministic budget, with
 * the same trace every time, well before the wall-clock budget.
 */
export const DEFAULT_MAX_EVENTS = 200_000;
/** Default cap on `log` events in one run; later lines are dropped after one note. */
export const DEFAULT_MAX_LOG_EVENTS = 5_000;
/** Default cap on all trace events in one run; reaching it ends the run. */
export const DEFAULT_MAX_TRACE_EVENTS = 250_000;
/** Longest log message kept, in characters. */
export const MAX_LOG_MESSAGE = 4_000;
