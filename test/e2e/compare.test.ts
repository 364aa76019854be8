import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe-check.js';
import { openSized } from './focus.js';
import { browserForFile, openExample, SHOTS, waitForRun } from './page.js';

// Compare on the built site: the circuit-breaker example's starting code against the reference
// solution of "forget failures", on one seed and over 50, and a link that reproduces it.
const base = inject('baseUrl');
const browser = browserForFile();

const panel = 'spp-compare-panel';
/** The cells of a table row of the compare, spaces collapsed. */
const rowCells = (page: Page, key: string) => page.locator(`${panel} tr[data-row="${key}"] td`).allTextContents().then((cells) => cells.map((c) => c.replace(/\s+/g, ' ').trim()));
const verdict = (page: Page, key: string) => page.getAttribute(`${panel} tr[data-row="${key}"]`, 'data-verdict');
const tableText = (page: Page) => page.locator(`${panel} table.compare`).textContent().then((t) => (t ?? '').replace(/\s+/g, ' '));

async function openCompareTab(page: Page): Promise<void> {
  if (await page.locator('[role=tab][data-pane=views]').isVisible()) await page.click('[role=tab][data-pane=views]');
  await page.click('[role=tab][data-tab=compare]');
  await page.waitForSelector(`${panel} select#against`);
}

async function compareWithSolution(page: Page, runs?: number): Promise<void> {
  await page.selectOption(`${panel} select#against`, 'solution:forget-failures');
  if (runs !== undefined) await page.fill(`${panel} input[data-field=runs]`, String(runs));
  else await page.check(`${panel} input[name=mode][value=single]`);
  await page.click(`${panel} [data-action=compare]`);
}

describe('Compare', () => {
  it('on one seed: two diagrams on one time axis, and a table that shows what the solution fixes', { timeout: 120_000 }, async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 900 }, { bypassCSP: true });
    await openExample(page, 'circuit-breaker');
    await openCompareTab(page);
    // By keyboard: the form's controls, then Enter on Compare; the solution runs only after the lesson's confirmation, which takes the focus.
    await page.selectOption(`${panel} select#against`, 'solution:forget-failures');
    await page.focus(`${panel} select#against`);
    await page.keyboard.press('Tab'); // the first mode radio
    await page.keyboard.press('Tab'); // the number of schedules
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('spp-compare-panel')!.shadowRoot!.activeElement?.getAttribute('data-action'))).toBe('compare');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${panel} [data-confirm-solution]`);
    expect(await page.evaluate(() => document.querySelector('spp-compare-panel')!.shadowRoot!.activeElement?.hasAttribute('data-confirm-solution'))).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${panel} section.result[data-kind=single]`, { timeout: 30_000 });

    expect(await rowCells(page, 'check:stays-closed-while-healthy')).toEqual(['✗ fails', '✓ passes', 'now passes ▲ better']);
    expect(await verdict(page, 'check:opens-when-down')).toBe('better');
    const calls = await rowCells(page, 'calls:payment-service');
    expect(Number(calls[1]!.replace(/,/g, ''))).toBeGreaterThan(Number(calls[0]!.replace(/,/g, ''))); // the early-opening breaker starved payment
    expect(await page.locator(`${panel} .summary`).textContent()).toMatch(/^Solution: Forget failures after a success improves \d+ figures/);

    const diagrams = page.locator(`${panel} spp-compare-diagrams`);
    await diagrams.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => {
      const root = document.querySelector('spp-compare-panel')?.shadowRoot?.querySelector('spp-compare-diagrams')?.shadowRoot;
      return root && root.querySelectorAll('.pane[data-side=a] [data-seq]').length > 5 && root.querySelectorAll('.pane[data-side=b] [data-seq]').length > 5;
    });
    // Side by side, at the same height; scrolling one scrolls the other.
    const [a, b] = [diagrams.locator('.pane[data-side=a]'), diagrams.locator('.pane[data-side=b]')];
    const [boxA, boxB] = [(await a.boundingBox())!, (await b.boundingBox())!];
    expect(boxB.x).toBeGreaterThan(boxA.x + boxA.width - 1);
    expect(Math.abs(boxB.y - boxA.y)).toBeLessThan(2);
    // Rows at one height happened at the same virtual time.
    const timesAt = (side: string) =>
      diagrams.locator(`.pane[data-side=${side}] [data-seq]`).evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.querySelector('.hit')!.getAttribute('y'), r.querySelector('.time')!.textContent])));
    const [ta, tb] = [await timesAt('a'), await timesAt('b')];
    const shared = Object.keys(ta).filter((y) => y in tb);
    expect(shared.length).toBeGreaterThan(3);
    for (const y of shared) expect(tb[y]).toBe(ta[y]);
    await a.locator('.scroller').evaluate((s) => (s.scrollTop = 2400));
    await page.waitForFunction(() => {
      const root = document.querySelector('spp-compare-panel')!.shadowRoot!.querySelector('spp-compare-diagrams')!.shadowRoot!;
      return root.querySelector<HTMLElement>('.pane[data-side=b] .scroller')!.scrollTop === 2400;
    });
    await page.screenshot({ path: `${SHOTS}/compare-one-seed-1280.png` });
    expect(await seriousViolations(page, '#pane-views')).toEqual([]);
    await page.context().close();
  });

  it('over 50 seeds: one table, and a link that reproduces the compare at 390 px in the dark', { timeout: 400_000 }, async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 900 });
    await openExample(page, 'circuit-breaker');
    await openCompareTab(page);
    await compareWithSolution(page, 50);
    await page.click(`${panel} [data-confirm-solution]`);
    await page.waitForSelector(`${panel} section.result[data-kind=seeds]`, { timeout: 120_000 });
    expect(await rowCells(page, 'runs')).toEqual(['50', '50', '0']);
    expect(await verdict(page, 'check:stays-closed-while-healthy')).toBe('better');
    const [failedA, failedB] = (await rowCells(page, 'check:stays-closed-while-healthy')).map(Number);
    expect(failedA).toBeGreaterThan(failedB!);
    for (const key of ['latency-p50', 'latency-p95', 'latency-p99', 'calls:payment-service']) expect(await page.locator(`${panel} tr[data-row="${key}"]`).count(), key).toBe(1);
    const table = await tableText(page);
    await page.screenshot({ path: `${SHOTS}/compare-50-seeds-1280.png` });

    await page.click(`${panel} [data-action=copy-compare-link]`);
    await page.waitForSelector(`${panel} .note`);
    const link = await page.evaluate(() => location.href);
    expect(link).toMatch(/#cmp=1&ex=circuit-breaker&seed=cb-1&faults=.*&vs=solution&vsex=forget-failures&runs=50&sum=[0-9a-f]{16}$/);
    await page.context().close();

    const narrow = await openSized(browser(), link, { width: 390, height: 844 }, { colorScheme: 'dark', bypassCSP: true });
    await waitForRun(narrow, 1);
    await narrow.click('[role=tab][data-pane=views]');
    expect(await narrow.getAttribute('[role=tab][data-tab=compare]', 'aria-selected')).toBe('true');
    // A link to a solution asks first, like the lesson.
    await narrow.click(`${panel} [data-confirm-solution]`);
    await narrow.waitForSelector(`${panel} section.result[data-kind=seeds]`, { timeout: 120_000 });
    expect(await tableText(narrow)).toBe(table);
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBe(0);
    await narrow.screenshot({ path: `${SHOTS}/compare-50-seeds-390-dark.png` });

    // One seed at 390 px: the two diagrams one above the other.
    await narrow.check(`${panel} input[name=mode][value=single]`);
    await narrow.click(`${panel} [data-action=compare]`);
    await narrow.waitForSelector(`${panel} section.result[data-kind=single]`, { timeout: 30_000 });
    const diagrams = narrow.locator(`${panel} spp-compare-diagrams`);
    await diagrams.scrollIntoViewIfNeeded();
    const [boxA, boxB] = [(await diagrams.locator('.pane[data-side=a]').boundingBox())!, (await diagrams.locator('.pane[data-side=b]').boundingBox())!];
    expect(boxB.y).toBeGreaterThanOrEqual(boxA.y + boxA.height);
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBe(0);
    await narrow.screenshot({ path: `${SHOTS}/compare-one-seed-390-dark.png` });
    expect(await seriousViolations(narrow, '#pane-views')).toEqual([]);
    await narrow.context().close();
  });
});
