import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe-check.js';
import { openSized } from './focus.js';
import { browserForFile, open, openExample, replaceCode, runCount, SHOTS, waitForRun } from './page.js';

// Explore on the built site: the choreography saga over many seeds, its failures counted,
// shrunk, replayed as a normal run and shared. Runs go through the page's sandbox; the count is
// kept small (EXPLORE_E2E_RUNS, default 60) so the test stays quick even run after run.
const base = inject('baseUrl');
const RUNS = Number(process.env['EXPLORE_E2E_RUNS'] ?? 60);
const EXPLORE_TIMEOUT = 180_000;

const browser = browserForFile();

const panel = 'spp-explore-panel';
const tally = (key: string) => `${panel} li.tally[data-key="${key}"]`;

async function openExplore(page: Page): Promise<void> {
  await page.click('[role=tab][data-tab=explore]');
  await page.waitForSelector(`${panel} input[data-field=runs]`);
}

/** Sets the run count and starts with the keyboard shortcut; waits for the results. */
async function exploreRuns(page: Page, runs: number): Promise<void> {
  await page.fill(`${panel} input[data-field=runs]`, String(runs));
  await page.focus(`${panel} input[data-field=runs]`);
  await page.keyboard.press('Control+Shift+Enter');
  await page.waitForSelector(`${panel} [data-progress]`, { timeout: 10_000 }).catch(() => undefined);
  await page.waitForSelector(`${panel} [data-results]`, { timeout: EXPLORE_TIMEOUT });
}

/** Failed and passed counts of every tally, by key. */
function counts(page: Page): Promise<Record<string, string>> {
  return page.locator(`${panel} [data-key]`).evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.getAttribute('data-key'), `${r.querySelector('[data-failed]')?.getAttribute('data-failed') ?? 0}/${r.textContent?.match(/(\d[\d,]*) passed/)?.[1] ?? ''}`])),
  );
}

const failedOf = async (page: Page, key: string) => Number(await page.getAttribute(`${tally(key)} [data-failed]`, 'data-failed'));
const linkShown = (page: Page) => page.locator(`${panel} [data-link]`).inputValue();
const seedField = (page: Page) => page.locator('spp-run-toolbar [data-action=seed]').inputValue();

describe('Explore', () => {
  it('finds pending orders and double charges in the choreography saga, shrinks one, replays it, and shares both', { timeout: 600_000 }, async () => {
    const errors: string[] = [];
    const page = await open(browser(), base, errors);
    await openExample(page, 'choreography-saga'); // its own run may time out on a busy machine: that is not what is tested
    await openExplore(page);
    await exploreRuns(page, RUNS);
    expect(await page.textContent(`${panel} [data-summary]`)).toMatch(new RegExp(`^${RUNS.toLocaleString('en-US')} runs: `));
    expect(await failedOf(page, 'check:saga/order-finished')).toBe(RUNS); // order-2 stays pending in every schedule
    const charged = await failedOf(page, 'check:saga/charged-once');
    expect(charged).toBeGreaterThan(0);
    expect(charged).toBeLessThan(RUNS); // only the schedules that duplicate an OrderCreated
    const found = await counts(page);
    await page.screenshot({ path: `${SHOTS}/explore-results-1280.png` });

    // Shrink the double charge: fewer and smaller faults, with a one-line diff.
    await page.click(`${tally('check:saga/charged-once')} [data-action=shrink]`);
    await page.waitForSelector(`${tally('check:saga/charged-once')} [data-shrunk] [data-diff]`, { timeout: 60_000 });
    const diff = await page.textContent(`${tally('check:saga/charged-once')} [data-diff]`);
    expect(diff).toMatch(/→|removed/);
    expect(await page.textContent(`${tally('check:saga/charged-once')} [data-plan]`)).toMatch(/payment-service\.OrderCreated (duplicates|crashes before ack) \d/); // the two ways a copy arrives

    // Replay: a normal run with every view, and a notice that says how to go back.
    const runsBefore = await runCount(page);
    await page.click(`${tally('check:saga/charged-once')} [data-action=replay-shrunk]`);
    expect(await waitForRun(page, runsBefore + 1)).toBe('ok');
    expect(await page.getAttribute('[role=tab][data-tab=sequence]', 'aria-selected')).toBe('true');
    await page.waitForFunction(() => (document.querySelector('spp-sequence-diagram')?.shadowRoot?.querySelectorAll('[data-seq]').length ?? 0) > 10);
    expect(await page.textContent('.replay-notice')).toMatch(/Replaying the smallest failing case of "no order is charged more than once": seed \d+/);
    const replaySeed = await seedField(page);
    const replayHash = await page.getAttribute('spp-app', 'data-trace-hash');
    await page.click('[role=tab][data-tab=checks]');
    expect(await page.getAttribute('spp-checks-panel [data-id="idempotent-payment:charged-once"]', 'class')).toMatch(/failed/);
    await page.screenshot({ path: `${SHOTS}/explore-replay-1280.png` });

    // The counterexample's link opens it as a normal run: same seed, same trace.
    await openExplore(page);
    await page.click(`${tally('check:saga/charged-once')} [data-action=copy-shrunk]`);
    await expect.poll(() => linkShown(page), { timeout: 10_000 }).toMatch(/#v=1&ex=choreography-saga&seed=/);
    const caseLink = await linkShown(page);
    const caseErrors: string[] = [];
    const casePage = await open(browser(), caseLink, caseErrors);
    expect(await waitForRun(casePage, 1, 30_000)).toBe('ok');
    expect([await seedField(casePage), await casePage.getAttribute('spp-app', 'data-trace-hash')]).toEqual([replaySeed, replayHash]);
    expect(caseErrors).toEqual([]);
    await casePage.context().close();

    // The explore's link runs the same explore again: the same counts.
    await page.click(`${panel} [data-action=copy-explore]`);
    // The field shows the case's link until the explore's link is written.
    await expect.poll(() => linkShown(page), { timeout: 10_000 }).toMatch(new RegExp(`#xv=1&ex=choreography-saga&seed=1&runs=${RUNS}&space=`));
    const exploreLink = await linkShown(page);
    const again = await open(browser(), exploreLink);
    await again.waitForSelector(`${panel} [data-results]`, { timeout: EXPLORE_TIMEOUT });
    expect(await counts(again)).toEqual(found);
    await again.context().close();

    // Back from the replay to the example's own seed and plan.
    await page.click('[role=tab][data-tab=sequence]');
    const n = await runCount(page);
    await page.click('.replay-notice [data-action=end-replay]');
    await waitForRun(page, n + 1);
    expect(await seedField(page)).toBe('choreo-1');
    expect(await page.locator('.replay-notice').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('Stop keeps the partial results and leaves the page usable; a field out of range says so next to it', { timeout: 300_000 }, async () => {
    const page = await open(browser(), base);
    await openExample(page, 'choreography-saga');
    await openExplore(page);
    await page.fill(`${panel} input[data-field=runs]`, '5000');
    await page.click(`${panel} [data-action=explore]`);
    await page.waitForFunction((sel) => /^([3-9]|\d\d+) \//.test(document.querySelector(sel)?.shadowRoot?.querySelector('[data-progress] [role=status]')?.textContent?.trim() ?? ''), panel, { timeout: 60_000 });
    // While it runs, the progress names what has failed so far: a double charge in some runs, an
    // order left pending in every run (the example's flaws).
    await page.waitForSelector(`${panel} [data-failing-some] li`, { timeout: 30_000 });
    expect(await page.locator(`${panel} [data-failing-some]`).textContent()).toMatch(/\d+ no order is charged more than once/);
    expect(await page.locator(`${panel} [data-failing-every]`).textContent()).toMatch(/every order ends completed or cancelled/);
    await page.screenshot({ path: `${SHOTS}/explore-failing-so-far.png` });
    await page.click(`${panel} [data-action=stop-explore]`);
    await page.waitForSelector(`${panel} [data-results]`, { timeout: 30_000 });
    expect(await page.textContent(`${panel} [data-summary]`)).toMatch(/Stopped after \d+ of 5,000 runs/);
    expect(await failedOf(page, 'check:saga/order-finished')).toBeGreaterThanOrEqual(3);
    // The page still runs.
    const n = await runCount(page);
    await page.click('spp-run-toolbar [data-action=run]');
    expect(await waitForRun(page, n + 1)).toBe('ok');

    await page.click('[role=tab][data-tab=explore]');
    await page.fill(`${panel} input[data-field=runs]`, '0');
    expect(await page.textContent(`${panel} [data-error-for=runs]`)).toMatch(/Runs must be a whole number between 1 and 100,000 \(got 0\)/);
    expect(await page.isDisabled(`${panel} [data-action=explore]`)).toBe(true);
    expect(await page.textContent(`${panel} #explore-why`)).toMatch(/Fix the field marked above/);
    await page.fill(`${panel} input[data-field=runs]`, '10');
    await page.click(`${panel} details.space > summary`);
    const max = `${panel} input[data-path="queues.payment-service.OrderCreated.duplicateRate.max"]`;
    await page.fill(max, '1.5');
    await page.press(max, 'Tab');
    expect(await page.textContent(`${panel} [data-error-for="queues.payment-service.OrderCreated.duplicateRate.max"]`)).toBe('must be a number between 0 and 1 (got 1.5)');
    expect(await page.getAttribute(max, 'aria-invalid')).toBe('true');
    expect(await page.isDisabled(`${panel} [data-action=explore]`)).toBe(true);
    await page.fill(max, '0.5');
    await page.press(max, 'Tab');
    expect(await page.isDisabled(`${panel} [data-action=explore]`)).toBe(false);
  });

  it('shows a program that throws on every seed as one grouped error', { timeout: 300_000 }, async () => {
    const page = await open(browser(), base);
    await openExample(page, 'choreography-saga');
    await replaceCode(page, "export default async function main() {\n  throw new Error('no luck on seed ' + Math.random());\n}\n");
    await openExplore(page);
    await exploreRuns(page, 12);
    const groups = page.locator(`${panel} ul.errors li.tally`);
    expect(await groups.count()).toBe(1);
    expect(await groups.first().textContent()).toMatch(/runtime: .*no luck on seed.*12 runs/s);
    expect(await page.textContent(`${panel} [data-summary]`)).toMatch(/^12 runs: 0 passed everything, 12 failed something/);
  });

  it('looks right at 1280 and 390 px, light and dark, with no serious axe violation in its results', { timeout: 600_000 }, async () => {
    const violations: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      // bypassCSP: the page's own CSP would block the script axe injects.
      const page = await openSized(browser(), base, { width: 1280, height: 800 }, { colorScheme: scheme, bypassCSP: true });
      await openExample(page, 'choreography-saga');
      await openExplore(page);
      await page.click(`${panel} details.space > summary`);
      await exploreRuns(page, 8);
      // The same results at 1280 px, then on a phone's width (the page lays itself out again when resized).
      for (const [width, height] of [
        [1280, 800],
        [390, 844],
      ] as const) {
        if (width < 600) {
          await page.setViewportSize({ width, height });
          await page.click('[role=tab][data-pane=views]');
          await page.waitForSelector(`${panel} [data-results]`, { state: 'visible' });
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${width} ${scheme}`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SHOTS}/explore-${width}-${scheme}.png`, fullPage: width < 600 });
        violations.push(...(await seriousViolations(page, '#pane-views')).map((v) => `${width} ${scheme}: ${v}`));
      }
    }
    expect(violations).toEqual([]);
  });
});
