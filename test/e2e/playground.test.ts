import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { loadAllExamples } from '../../examples/index.js';
import { browserForFile, editorText, newContext, open, openExample, replaceCode, runCount, SHOTS, waitForRun } from './page.js';

const base = inject('baseUrl');
const examples = await loadAllExamples();
const rest = examples.find((e) => e.id === 'sync-rest-timeout')!;
const solution = readFileSync(new URL('../../examples/sync-rest-timeout/solution-timeout.ts', import.meta.url), 'utf8');

const browser = browserForFile();

describe('the playground page', () => {
  it('shows the examples and the code, runs, and the same run gives the same trace hash as in Node', async () => {
    const errors: string[] = [];
    const page = await open(browser(), base, errors);
    await page.waitForSelector('spp-example-picker >> text=REST call with a timeout');
    expect(await openExample(page, 'sync-rest-timeout')).toBe('ok');
    expect(await page.locator('spp-code-editor').textContent()).toContain("service('payment-service')");
    await page.waitForSelector('spp-sequence-diagram >> text=order-service');
    await page.screenshot({ path: `${SHOTS}/first-run.png` });
    await page.click('[role=tab][data-tab=result]');
    expect(await page.locator('.result-view pre').textContent()).toContain('"order-1"');
    expect(await page.locator('.result-view li[data-passed=true]').count()).toBe(rest.expected.length);
    await page.screenshot({ path: `${SHOTS}/result.png` });
    const hash = await page.getAttribute('spp-app', 'data-trace-hash');
    // In a process of its own: this one has a browser connection whose timers must not join the run.
    const node = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', 'test/runner/run-cli.mts'], { input: JSON.stringify({ code: rest.code, seed: rest.seed, faults: rest.faults }), encoding: 'utf8' }),
    ) as { status: string; traceHash: string; error?: unknown };
    expect(node.status, JSON.stringify(node.error)).toBe('ok');
    expect(hash).toBe(node.traceHash);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(errors).toEqual([]);
  });

  it('edits the code, reruns, passes the exercise, scrubs, and shares a link that reproduces the run', async () => {
    const page = await open(browser(), base);
    await openExample(page, 'sync-rest-timeout');
    await page.click('text=Checks');
    await page.waitForSelector(`[role=tab][data-tab=checks] .tab-badge >> text=${rest.exercises[0]!.checks.length} ✗`);
    const before = await runCount(page);
    await replaceCode(page, solution);
    expect((await editorText(page)).trim()).toBe(solution.trim());
    await page.keyboard.press('Control+Enter');
    expect(await waitForRun(page, before + 1)).toBe('ok');
    await page.waitForSelector('[role=tab][data-tab=checks] .tab-badge.ok');
    expect(await page.locator('spp-lesson-panel .badge.ok').first().textContent()).toContain('passed');
    await page.click('[role=tab] >> text=Sequence');
    const timeouts = await page.locator('spp-sequence-diagram >> text=/timeout/i').count();
    expect(timeouts).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/solved.png` });

    // Scrub to the start: fewer events are shown.
    const shownAtEnd = await page.locator('spp-time-scrubber').textContent();
    await page.locator('spp-time-scrubber input[type=range]').fill('0');
    await page.waitForFunction((text) => document.querySelector('spp-time-scrubber')?.shadowRoot?.textContent !== text, shownAtEnd);
    await page.screenshot({ path: `${SHOTS}/scrubbed.png` });

    // Share: the link opens the same code, seed and faults, and gives the same trace.
    const hash = await page.getAttribute('spp-app', 'data-trace-hash');
    await page.click('spp-run-toolbar >> text=Share');
    await page.waitForFunction(() => location.hash.includes('code='));
    const link = page.url();
    const other = await open(browser(), link);
    expect(await waitForRun(other, 1)).toBe('ok');
    expect(await other.getAttribute('spp-app', 'data-trace-hash')).toBe(hash);
    expect((await editorText(other)).trim()).toBe(solution.trim());
  });

  it('stops an infinite loop while the page keeps ticking, and the next run works', async () => {
    const page = await open(browser(), base);
    await openExample(page, 'sync-rest-timeout');
    await page.click('spp-run-toolbar input[type=checkbox]'); // auto-run off: run on demand only
    await page.evaluate(() => {
      (window as unknown as { ticks: number }).ticks = 0;
      setInterval(() => (window as unknown as { ticks: number }).ticks++, 50);
    });
    const n = await runCount(page);
    await replaceCode(page, "import { log } from 'playground';\nlog.info('about to spin');\nwhile (true) {}\n");
    const t0 = Date.now();
    await page.keyboard.press('Control+Enter');
    const status = await waitForRun(page, n + 1, 10_000);
    const waited = Date.now() - t0;
    expect(status).toBe('timeout');
    expect(await page.locator('.run-error').textContent()).toMatch(/loop/i);
    const ticks = await page.evaluate(() => (window as unknown as { ticks: number }).ticks);
    expect(ticks).toBeGreaterThan(waited / 50 / 3); // the page's own timer kept running
    await page.screenshot({ path: `${SHOTS}/infinite-loop.png` });
    await replaceCode(page, "import { log } from 'playground';\nexport default async function main() { log.info('fine'); return 42; }\n");
    await page.keyboard.press('Control+Enter');
    // The example's fault plan names payment-service, which this code no longer has.
    expect(await waitForRun(page, n + 2)).toBe('error');
    expect(await page.locator('.run-error').textContent()).toMatch(/unknown service "payment-service"/);
    await page.click('[data-action=drop-faults]');
    expect(await waitForRun(page, n + 3)).toBe('ok');
  });

  it('keeps a draft across a reload', async () => {
    const page = await open(browser(), base);
    await openExample(page, 'sync-rest-timeout');
    const edited = rest.code.replace('timeout: 30000', 'timeout: 1234');
    await replaceCode(page, edited);
    // Drafts are saved shortly after typing.
    await page.waitForFunction((text) => localStorage.getItem('spp.draft.sync-rest-timeout')?.includes(text), 'timeout: 1234');
    await page.reload();
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    expect((await editorText(page)).trim()).toBe(edited.trim());
    await page.waitForSelector('spp-example-picker >> text=edited');
  });

  it('shows a banner for a bad link and loads the original code', async () => {
    const page = await open(browser(), `${base}#v=1&ex=sync-rest-timeout&seed=5&code=N4Ig&sum=0000`);
    const banner = page.locator('.banner[data-tone=error]');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/link/i);
    expect((await editorText(page)).trim()).toBe(rest.code.trim());
    await page.screenshot({ path: `${SHOTS}/bad-link.png` });
    const truncated = await open(browser(), `${base}#v=1&ex=sync-rest-timeout&seed=5&cod`);
    await truncated.locator('.banner[data-tone=error]').waitFor();
  });
});

describe('offline', () => {
  it('works offline once loaded: a reload without network shows the page, the editor and runs code', async () => {
    const context = await newContext(browser(), { offline: true });
    const page = await context.newPage();
    await page.goto(base);
    await waitForRun(page, 1);
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      // Wait until the worker controls the page (it claims clients when it activates).
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      return reg.active?.state;
    });
    await context.setOffline(true);
    await page.reload();
    expect(await waitForRun(page, 1)).toBe('ok');
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    expect(await openExample(page, 'circuit-breaker')).toBe('ok');
    await page.screenshot({ path: `${SHOTS}/offline.png` });
    await context.close();
  });
});

describe('every example', () => {
  it('opens and runs without error in the browser, with its lesson and exercises', async () => {
    const errors: string[] = [];
    const page = await open(browser(), base, errors);
    for (const example of examples) {
      const status = await openExample(page, example.id);
      const problem = status === 'ok' ? '' : ((await page.locator('.run-error').textContent().catch(() => '')) ?? '');
      expect(status, `${example.id}: ${problem}`).toBe('ok');
      expect(await page.locator('spp-lesson-panel h1').textContent()).toBe(example.title);
      expect(await page.locator('spp-lesson-panel section.exercise').count()).toBe(example.exercises.length);
    }
    expect(errors).toEqual([]);
  });

  it('solves an exercise by typing the fix into the editor', async () => {
    const page = await open(browser(), base);
    await waitForRun(page, 1);
    await openExample(page, 'timeouts');
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    const line = (await editorText(page)).split('\n').findIndex((l) => l.includes('orders.http.get(`${INVENTORY_URL}/stock/${sku}`)')) + 1;
    expect(line).toBeGreaterThan(0);
    await page.click('spp-code-editor .monaco-editor', { position: { x: 80, y: 12 } });
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(line));
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(', { timeout: 1000 }');
    expect(await editorText(page)).toContain('orders.http.get(`${INVENTORY_URL}/stock/${sku}`, { timeout: 1000 });');
    // Auto-run picks the edit up.
    await page.waitForFunction(() => document.querySelector('spp-lesson-panel')?.shadowRoot?.querySelector('[data-exercise="request-timeout"] .badge.ok') !== null, undefined, { timeout: 20_000 });
    await page.screenshot({ path: `${SHOTS}/typed-fix.png` });
    // Progress is saved: the picker counts the passed checks.
    await page.waitForFunction(() => /[1-9]\/\d/.test(document.querySelector('spp-example-picker')?.shadowRoot?.querySelector('[data-example="timeouts"] .p')?.textContent ?? ''));
  });
});

describe('the saga board', () => {
  it('lists each order with its state and effects, makes a double charge stand out, and a click shows that event in the sequence diagram', async () => {
    const errors: string[] = [];
    const page = await open(browser(), base, errors);
    await openExample(page, 'choreography-saga');
    await page.click('[role=tab][data-tab=sagas]');
    await page.waitForSelector('spp-saga-board tr[data-key]');
    expect(await page.locator('spp-saga-board tr[data-key]').count()).toBe(5);
    // The starting code has no PaymentFailed handler: that order stays pending.
    expect(await page.locator('spp-saga-board tr[data-key="order-2"] button.chip').first().textContent()).toContain('pending');
    const again = page.locator('spp-saga-board .effects button.warn').first();
    expect(await again.textContent()).toContain('charged');
    await page.screenshot({ path: `${SHOTS}/saga-board.png` });
    await again.click();
    await page.waitForSelector('[role=tab][data-tab=sequence][aria-selected=true]');
    await page.waitForSelector('spp-sequence-diagram .row.selected');
    expect(await page.locator('spp-sequence-diagram .row.selected').textContent()).toContain('charged');
    expect(errors).toEqual([]);
  });
});

describe('the editor', () => {
  it('knows the playground module: type errors are underlined and completions list its API', async () => {
    const page = await open(browser(), base);
    await waitForRun(page, 1);
    await page.click('spp-run-toolbar input[type=checkbox]'); // auto-run off
    await replaceCode(page, "import { service } from 'playground';\nconst s = service('a');\ns.nonexistent();\nconst n: number = 'text';\n");
    await page.waitForFunction(() => document.querySelectorAll('spp-code-editor .squiggly-error').length >= 2, undefined, { timeout: 20_000 });
    await page.keyboard.press('Control+End');
    await page.keyboard.type('s.');
    await page.waitForSelector('.suggest-widget .monaco-list-row', { timeout: 20_000 });
    const items = await page.locator('.suggest-widget .monaco-list-row').allTextContents();
    expect(items.join(' ')).toMatch(/post/);
    expect(items.join(' ')).not.toMatch(/findRoute/); // internal members stay out of the learner's way
    await page.screenshot({ path: `${SHOTS}/intellisense.png` });
  });
});

describe('errors', () => {
  it('point at the TypeScript line: the log link moves the editor cursor there', async () => {
    const page = await open(browser(), base);
    await waitForRun(page, 1);
    await page.click('spp-run-toolbar input[type=checkbox]'); // auto-run off
    const n = await runCount(page);
    await replaceCode(page, "import { log, sleep } from 'playground';\nexport default async function main() {\n  await sleep(100);\n  log.info('about to fail');\n  const x: any = undefined;\n  return x.field;\n}\n");
    await page.keyboard.press('Control+Enter');
    expect(await waitForRun(page, n + 1)).toBe('error');
    expect(await page.locator('.run-error').textContent()).toContain("reading 'field'");
    await page.click('[role=tab][data-tab=logs]');
    await page.click('spp-log-console >> text=line 6:12');
    await page.keyboard.type('/*here*/');
    expect((await editorText(page)).split('\n')[5]).toBe('  return x./*here*/field;');
  });
});

describe('saved data', () => {
  it('reports a corrupt draft, sets it aside instead of deleting it, and opens the original code', async () => {
    const context = await newContext(browser());
    await context.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('spp.prefs', JSON.stringify({ v: 1, autoRun: true, theme: 'system', lastExample: 'sync-rest-timeout' }));
        localStorage.setItem('spp.draft.sync-rest-timeout', '{"this is": not json');
      }
    });
    const page = await context.newPage();
    await page.goto(base);
    await waitForRun(page, 1);
    const banner = page.locator('.banner[data-tone=warn]');
    await banner.first().waitFor();
    expect((await banner.allTextContents()).join(' ')).toMatch(/draft/i);
    expect((await editorText(page)).trim()).toBe(rest.code.trim());
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('spp.corrupt.')).map((k) => localStorage.getItem(k)));
    expect(kept.some((v) => (v ?? '').includes('not json'))).toBe(true);
    await context.close();
  });
});

describe('time zones', () => {
  it('a shared run gives the same trace in another time zone, dates included', async () => {
    const code = "import { log } from 'playground';\nexport default async function main() {\n  const d = new Date();\n  log.info(`${d.toString()} | ${d.getHours()}h | ${new Date(2024, 5, 1).toISOString()} | ${Date()}`);\n  return d.toLocaleString();\n}\n";
    const hashIn = async (timezoneId: string, url: string) => {
      const context = await newContext(browser(), { timezoneId });
      const page = await context.newPage();
      await page.goto(url);
      await waitForRun(page, 1);
      return { page, context, hash: await page.getAttribute('spp-app', 'data-trace-hash') };
    };
    const first = await hashIn('Asia/Tokyo', base);
    await first.page.click('spp-run-toolbar input[type=checkbox]');
    const n = await runCount(first.page);
    await replaceCode(first.page, code);
    await first.page.keyboard.press('Control+Enter');
    await waitForRun(first.page, n + 1);
    const tokyo = await first.page.getAttribute('spp-app', 'data-trace-hash');
    await first.page.click('spp-run-toolbar >> text=Share');
    await first.page.waitForFunction(() => location.hash.includes('code='));
    const link = first.page.url();
    await first.context.close();
    const second = await hashIn('America/New_York', link);
    expect(second.hash).toBe(tokyo);
    await second.context.close();
  });
});
