// The page's main-thread tasks while the test does something, read from a Chromium trace.
import type { Browser, Page } from 'playwright-core';

/** A trace event, with the fields read here. */
export interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  ts: number;
  /** Wall time, µs. */
  dur?: number;
  /** CPU time of the thread, µs. */
  tdur?: number;
  args?: { data?: { message?: string; url?: string; functionName?: string; type?: string } };
}

/** One task of the page's main thread, with the trace around it (to say what it did). */
export interface MainThreadTask {
  task: TraceEvent;
  events: TraceEvent[];
}

const START = 'spp:trace-start';
const END = 'spp:trace-end';

/**
 * Runs `act` with Chromium's tracing on and returns the tasks of the page's
 * main thread between its start and its end (marked with console.timeStamp,
 * which also tells the page's thread apart from the others).
 */
export async function traceMainThread(browser: Browser, page: Page, act: () => Promise<void>): Promise<MainThreadTask[]> {
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'] });
  let trace: Buffer | undefined;
  try {
    await page.evaluate((m) => console.timeStamp(m), START);
    await act();
    await page.evaluate((m) => console.timeStamp(m), END);
  } finally {
    // Stopped whatever happened, so that a retry can trace again.
    trace = await browser.stopTracing();
  }
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mark = (message: string) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message)!;
  const start = mark(START);
  const end = mark(END);
  const thread = events.filter((e) => e.pid === start.pid && e.tid === start.tid);
  const inWindow = thread.filter((e) => TASK_NAMES.has(e.name) && e.ts + (e.dur ?? 0) >= start.ts && e.ts <= end.ts).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // The outermost ones: a task's events nest (RunTask > ThreadControllerImpl::RunTask).
  const tasks: TraceEvent[] = [];
  for (const e of inWindow) {
    const last = tasks.at(-1);
    if (!last || e.ts >= last.ts + (last.dur ?? 0)) tasks.push(e);
  }
  return tasks.map((task) => ({ task, events: thread }));
}

/**
 * What a task of the thread's run loop is called in the trace. Input events (a key press, a paste
 * and the promises it starts) run as a plain `RunTask`; timers, messages and frames also as
 * `ThreadControllerImpl::RunTask` inside it.
 */
const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

/**
 * The longest of `tasks` by CPU time (what the page itself spent, whatever
 * else the machine was doing), its wall time, and what took 3 ms or more in it.
 */
export function longestTask(tasks: MainThreadTask[]): { cpuMs: number; wallMs: number; what: string } {
  const cpu = (t: TraceEvent) => t.tdur ?? t.dur ?? 0;
  const longest = [...tasks].sort((a, b) => cpu(b.task) - cpu(a.task))[0];
  if (!longest) return { cpuMs: 0, wallMs: 0, what: 'no task' };
  const { task, events } = longest;
  const inside = events.filter((e) => e !== task && e.ts >= task.ts && e.ts < task.ts + (task.dur ?? 0) && cpu(e) > 3_000);
  const what = inside.slice(0, 6).map((e) => [e.name, Math.round(cpu(e) / 1000), e.args?.data?.url ?? e.args?.data?.type ?? '', e.args?.data?.functionName ?? '']);
  return { cpuMs: Math.round(cpu(task) / 1000), wallMs: Math.round((task.dur ?? 0) / 1000), what: JSON.stringify(what) };
}
