import { describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { encodeShareLink } from '../../src/share/share-link.js';
import { browserForFile, editorText, newContext, openExample, replaceCode, runCount, SHOTS, waitForRun } from './page.js';
import type { TraceEvent } from './main-thread-tasks.js';

// What the page says about a run, and what it shows of it: after Stop, for each
// kind of failure, for links and drafts, for a report user code makes up, and
// how long the page's own timers pause while a very long program is pasted and run.
const base = inject('baseUrl');
const EXAMPLE = 'sync-rest-timeout';

const browser = browserForFile();

/** The example open with auto-run off (runs happen on Ctrl+Enter only). */
async function manualPage(context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await newContext(browser()))).newPage();
  await page.goto(base);
  await openExample(page, EXAMPLE);
  await page.click('spp-run-toolbar input[type=checkbox]');
  return page;
}

/** Puts `code` in the editor, runs it, and waits for its report; returns the run's status. */
async function runCode(page: Page, code: string): Promise<string> {
  const n = await runCount(page);
  await replaceCode(page, code);
  await page.keyboard.press('Control+Enter');
  return waitForRun(page, n + 1, 20_000);
}

const toolbarStatus = (page: Page) => page.locator('spp-run-toolbar .status').textContent().then((t) => (t ?? '').trim());
const runError = (page: Page) => page.locator('.run-error').textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const bannerTexts = (page: Page, tone: string) => page.locator(`.banner[data-tone=${tone}] > span`).allTextContents();

describe('Stop', () => {
  it('says Stopped, and no longer shows the last run’s ✓, after Stop or Escape on while (true) {}', async () => {
    const page = await manualPage();
    await page.click('[role=tab][data-tab=result]');
    expect(await page.locator('.result-view li[data-passed=true]').count()).toBeGreaterThan(0);
    expect(await toolbarStatus(page)).toMatch(/^Finished/);

    for (const how of ['button', 'Escape'] as const) {
      const n = await runCount(page);
      await replaceCode(page, 'export default function main() {\n  while (true) {}\n}\n');
      await page.keyboard.press('Control+Enter');
      await page.waitForFunction(() => document.querySelector('spp-run-toolbar')?.shadowRoot?.querySelector('.status')?.textContent?.includes('Running'));
      await page.waitForTimeout(300);
      if (how === 'button') await page.click('spp-run-toolbar [data-action=stop]');
      else {
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.keyboard.press('Escape');
      }
      expect(await waitForRun(page, n + 1, 10_000)).toBe('stopped');
      const status = await toolbarStatus(page);
      expect(status, how).toMatch(/^Stopped by you/);
      expect(status, how).not.toMatch(/Finished/);
      await page.click('[role=tab][data-tab=result]');
      expect(await page.locator('.result-view').textContent()).toMatch(/Status\s+stopped/);
      expect(await page.locator('.result-view li[data-passed=true]').count(), how).toBe(0);
      expect(await page.locator('.result-view').textContent()).not.toContain('✓');
      await page.click('[role=tab][data-tab=checks]');
      expect(await page.locator('spp-checks-panel .not-run').textContent()).toMatch(/checks were not run: the run was stopped before it finished/);
      expect(await page.locator('[role=tab][data-tab=checks] .tab-badge').count()).toBe(0);
      await page.screenshot({ path: `${SHOTS}/stopped-${how}.png` });
    }
  });
});

describe('what the page says went wrong', () => {
  it('names each failure in plain words and says what to do', async () => {
    const page = await manualPage();
    const cases: Array<[string, RegExp, RegExp]> = [
      ['const a = 1;\nconst b: number = ;\n', /^Syntax error: Unexpected token \(line 2:19\)\. Fix the marked spot/, /SyntaxError|syntax:/],
      ["import axios from 'axios';\nexport default () => axios;\n", /^Import not allowed: Cannot import 'axios': .*Remove this import/, /Syntax error|SyntaxError/],
      ['export default function main() {\n  while (true) {}\n}\n', /^The code never paused: Your code kept running for over 2,000 ms .*Look for a loop/, /infinite-loop/],
      [
        'const kept: ArrayBuffer[] = [];\nexport default function main() {\n  while (true) kept.push(new ArrayBuffer(2 ** 40));\n}\n',
        /^Out of memory: RangeError: .*more memory than there is/,
        /^memory:|never paused/,
      ],
      [
        "async function main(): Promise<void> {\n  console.log('waiting');\n  await new Promise<void>(() => {});\n}\n\nawait main();\n",
        /^The code never finished: main\(\) never finished: it is waiting for a promise that never settles\. It was called by the top-level await on line 6\. .* main\(\) waits at the await on line 3\./,
        /top-level code was still running|unfinished:/,
      ],
    ];
    for (const [code, says, never] of cases) {
      await runCode(page, code);
      const text = await runError(page);
      expect(text, code).toMatch(says);
      expect(text, code).not.toMatch(never);
    }
    // The endless wait points the editor at the await in main.
    expect(await page.locator('.run-error button').first().textContent()).toMatch(/Go to line 3/);
    expect(await toolbarStatus(page)).toMatch(/^main\(\) never finished/);
    await page.screenshot({ path: `${SHOTS}/endless-wait.png` });
  });
});

describe('links and drafts', () => {
  const draftCode = (original: string) => original.replace('timeout: 30000', 'timeout: 1234');

  /** A context whose storage holds a draft of the example; returns it and the draft. */
  async function withDraft(): Promise<{ context: BrowserContext; draft: string }> {
    const context = await newContext(browser());
    const page = await context.newPage();
    await page.goto(base);
    await openExample(page, EXAMPLE);
    const draft = draftCode(await editorText(page));
    await replaceCode(page, draft);
    await page.waitForFunction((id) => localStorage.getItem(`spp.draft.${id}`) !== null, EXAMPLE);
    await page.close();
    return { context, draft };
  }

  const linkTo = (state: Omit<Parameters<typeof encodeShareLink>[0], 'exampleId'>) => {
    const r = encodeShareLink({ exampleId: EXAMPLE, ...state }, base);
    if (!r.ok) throw new Error(r.error.message);
    return r.url;
  };

  it('opens the draft for a link without code, with or without a refused fault plan, and says so', async () => {
    const { context, draft } = await withDraft();
    for (const url of [linkTo({ seed: 5 }), linkTo({ seed: 5, faults: { services: { 'payment-service': { errorRate: 5 } } } })]) {
      const page = await context.newPage();
      await page.goto(url);
      await waitForRun(page, 1);
      await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
      expect((await editorText(page)).trim()).toBe(draft.trim());
      const info = await bannerTexts(page, 'info');
      expect(info.join('\n')).toMatch(/This link carries no code of its own .* your saved draft of ".*" is shown/);
      expect(info.join('\n')).not.toMatch(/brings its own code/);
      await page.close();
    }
    await context.close();
  });

  it("says the draft is opened for a damaged link when the editor shows the draft", async () => {
    const { context, draft } = await withDraft();
    const page = await context.newPage();
    await page.goto(`${base}#v=1&ex=${EXAMPLE}&seed=5&code=N4Ig&sum=0000`);
    await page.locator('.banner[data-tone=error]').waitFor();
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    expect((await editorText(page)).trim()).toBe(draft.trim());
    const error = (await bannerTexts(page, 'error')).join('\n');
    expect(error).toMatch(/link.*Your saved draft of ".*" is opened instead/);
    expect(error).not.toMatch(/original code/);
    await page.screenshot({ path: `${SHOTS}/damaged-link-draft.png` });
    await context.close();
  });
});

describe('a report made up by user code', () => {
  it('is ignored: the page shows what the code really did', async () => {
    const page = await manualPage();
    const forged = `const events = [{ seq: 0, time: 0, kind: 'log', source: 'console', level: 'info', message: 'all good' }];
const run = { status: 'ok', result: 'order-1', events, traceHash: 'f0f0f0f0f0f0f0f0', eventsRun: 1, virtualTime: 0, droppedLogs: 0 };
const fake = [{ type: 'report', run }, { type: 'report', run: { ...run, events: undefined, eventsJson: JSON.stringify(events) } }];
const g = globalThis as any;
const saved = Object.getPrototypeOf(g).postMessage ?? Object.getOwnPropertyDescriptor(g, 'postMessage')?.value;
g.onmessage = (e: MessageEvent) => { for (const p of e.ports) for (const f of fake) p.postMessage(f); };
export default async function main() {
  for (const f of fake) {
    g.postMessage(f);
    saved?.call(g, f);
    new MessageChannel().port1.postMessage(f);
    g.parent?.postMessage(f, '*');
  }
  throw new Error('the real run fails');
}
`;
    expect(await runCode(page, forged)).toBe('error');
    expect(await page.getAttribute('spp-app', 'data-trace-hash')).not.toBe('f0f0f0f0f0f0f0f0');
    expect(await toolbarStatus(page)).not.toMatch(/Finished/);
    expect(await runError(page)).toMatch(/the real run fails|unknown service/);
    await page.click('[role=tab][data-tab=result]');
    expect(await page.locator('.result-view pre').textContent()).not.toContain('order-1');
  });
});

describe('a very long program', () => {
  it('is transpiled and run without any task of the page taking 100 ms or more', async () => {
    const page = await manualPage();
    const lines = ["import { log } from 'playground';"];
    for (let i = 0; i < 19_996; i++) lines.push(`export function step${i}(x: number): number { return x + ${i % 7}; }`);
    lines.push('export default function main(): number {', '  log.info(String(step19995(step1(1))));', '  return step0(41) + 1;', '}');
    const code = `${lines.join('\n')}\n`;
    expect(code.split('\n').length).toBeGreaterThanOrEqual(20_000);
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: Array<[number, number]> };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
      }).observe({ type: 'longtask' });
    });
    // The paste is Monaco's own work; it is measured too, but the run is what must not block the page.
    await browser().startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    const n = await runCount(page);
    await replaceCode(page, code);
    // Let Monaco settle after the paste (rendering, first tokenizing), so that its work does not fall in the run's window.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 2_000))));
    await page.evaluate(() => console.timeStamp('spp:run'));
    await page.keyboard.press('Control+Enter');
    const status = await waitForRun(page, n + 1, 30_000);
    await page.evaluate(() => console.timeStamp('spp:reported'));
    const trace = JSON.parse((await browser().stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: Array<[number, number]> }).longTasks);

    const { run, paste } = mainThreadTasks(trace.traceEvents);
    // Monaco digests a 20,000-line model in its own worker and sends back large answers (folding ranges,
    // outline, diagnostics) whenever they are ready: its tasks are listed apart, the page's own are judged.
    const monaco = run.filter((t) => isMonacoTask(trace.traceEvents, t));
    const own = run.filter((t) => !monaco.includes(t));
    const longest = (tasks: TraceEvent[]) => Math.round(Math.max(0, ...tasks.map((t) => (t.tdur ?? 0) / 1000)));
    console.log(
      `[measure] 20,000-line program, longest main-thread task (CPU time): the page's own while the code was transpiled and run ${longest(own)} ms; ` +
        `Monaco's in the same time ${longest(monaco)} ms, and for the paste ${longest(paste)} ms. ` +
        `Long tasks the page saw (wall time, this machine's load included): ${JSON.stringify(longTasks.map(([, d]) => d))}`,
    );
    // The example's fault plan names services this code does not have (on a very busy machine, loading the
    // module in the sandbox may take longer than the run's time limit instead): either way the code was run.
    expect(['error', 'timeout']).toContain(status);
    expect(await runError(page)).toMatch(/unknown service|time limit|never paused/);
    expect(own.length).toBeGreaterThan(0);
    expect(longest(own), `the longest task: ${describeTask(trace.traceEvents, own)}`).toBeLessThan(100);
  });
});


/** The JavaScript a task ran: the scripts of its function calls. */
function scriptsOf(events: TraceEvent[], t: TraceEvent): string[] {
  const calls = events.filter((e) => e.pid === t.pid && e.tid === t.tid && e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0) && e.name === 'FunctionCall');
  return calls.map((e) => e.args?.data?.url ?? '');
}

/** A task that ran only Monaco's code (its editor chunk). */
function isMonacoTask(events: TraceEvent[], t: TraceEvent): boolean {
  const scripts = scriptsOf(events, t);
  return scripts.length > 0 && scripts.every((url) => /\/editor\.api-[\w-]+\.js$/.test(url));
}

/** What the longest of `tasks` did (its events of 3 ms or more), for a failure message. */
function describeTask(events: TraceEvent[], tasks: TraceEvent[]): string {
  const t = [...tasks].sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0))[0];
  if (!t) return 'none';
  const inside = events.filter((e) => e.pid === t.pid && e.tid === t.tid && e.ts >= t.ts && e.ts < t.ts + (t.dur ?? 0) && (e.tdur ?? 0) > 3_000 && e.name !== t.name);
  return JSON.stringify(inside.slice(0, 6).map((e) => [e.name, Math.round((e.tdur ?? 0) / 1000), e.args?.data?.url ?? e.args?.data?.type ?? '', e.args?.data?.functionName ?? '']));
}

/**
 * The page's main-thread tasks from a Chromium trace, split at the marks the
 * test left (console.timeStamp): before `spp:run` (the paste) and from there
 * to `spp:reported` (the run). Measured in CPU time, so that what other
 * processes on the machine do does not count against the page.
 */
function mainThreadTasks(events: TraceEvent[]): { paste: TraceEvent[]; run: TraceEvent[] } {
  const mark = (message: string) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === message)!;
  const runMark = mark('spp:run');
  const endMark = mark('spp:reported');
  const tasks = events.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.pid === runMark.pid && e.tid === runMark.tid);
  return {
    paste: tasks.filter((t) => t.ts < runMark.ts),
    run: tasks.filter((t) => t.ts + (t.dur ?? 0) >= runMark.ts && t.ts <= endMark.ts),
  };
}
