/**
 * An exercise judged over many schedules, in the page: its starting code
 * passes the example's own run but fails the check over 200 schedules, with
 * the count and a simplest case that Replay opens as a run; the reference
 * solution pasted into the editor passes, and the pass is saved as progress.
 */
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadExample } from '../../examples/index.js';
import { browserForFile, open, openExample, replaceCode, runCount, SHOTS, waitForRun } from './page.js';

const base = inject('baseUrl');
const example = await loadExample('choreography-saga');
const exercise = example.exercises.find((x) => x.id === 'copies-everywhere')!;
const card = `spp-lesson-panel [data-exercise="${exercise.id}"]`;

const browser = browserForFile();

/** Presses the exercise's check and waits until it has run over every schedule. */
async function checkOverSchedules(page: Page): Promise<void> {
  await page.click(`${card} [data-check-schedules]`);
  await page.waitForSelector(`${card} [data-schedules="running"]`);
  await page.waitForSelector(`${card} [data-schedules="done"]`, { timeout: 120_000 });
}

describe('an exercise checked over many schedules', () => {
  it('fails on its starting code (which passes the one run), replays the simplest failing case, and passes on the solution', { timeout: 300_000 }, async () => {
    const errors: string[] = [];
    const page = await open(browser(), base, errors);
    await openExample(page, example.id);
    await page.locator(card).scrollIntoViewIfNeeded();
    expect(await page.locator(`${card} .badge`).textContent()).toContain('not checked');

    // The starting code: the example's single run is fine, the schedules are not.
    let before = await runCount(page);
    await page.click(`${card} [data-load-starter]`);
    expect(await waitForRun(page, before + 1)).toBe('ok');
    await checkOverSchedules(page);
    const failed = page.locator(`${card} li[data-passed=false]`);
    expect(await failed.count()).toBe(1);
    const message = (await failed.locator('.msg').textContent()) ?? '';
    expect(message).toMatch(/^Failed in \d+ of 200 schedules: .+ Simplest case found: seed choreo-1-\d+ \(.+\)\.$/);
    expect(await page.locator(`${card} .badge`).textContent()).toContain('not yet');
    await page.screenshot({ path: `${SHOTS}/explore-exercise-failed.png` });

    // Replay: the simplest case runs as a normal run with its seed and plan.
    const seed = /seed (choreo-1-\d+)/.exec(message)![1]!;
    before = await runCount(page);
    await page.click(`${card} [data-replay-case]`);
    expect(await waitForRun(page, before + 1)).toBe('ok');
    expect(await page.inputValue('spp-run-toolbar input[data-action=seed]')).toBe(seed);

    // The reference solution, pasted as a learner would.
    before = await runCount(page);
    await replaceCode(page, exercise.solution);
    expect(await waitForRun(page, before + 1)).toBe('ok');
    await checkOverSchedules(page);
    expect(await page.locator(`${card} li[data-passed=false]`).count()).toBe(0);
    expect(await page.locator(`${card} li[data-passed=true] .msg`).textContent()).toBe('Held in 200 of 200 schedules.');
    expect(await page.locator(`${card} .badge`).textContent()).toContain('passed');
    await page.screenshot({ path: `${SHOTS}/explore-exercise-passed.png` });

    // Saved as progress: after a reload the exercise shows as solved before.
    await page.reload();
    await waitForRun(page, 1);
    await page.waitForSelector(`${card} .badge >> text=solved before`);
    expect(errors).toEqual([]);
  });

  it('Stop keeps the page usable and saves nothing', { timeout: 120_000 }, async () => {
    const page = await open(browser(), base);
    await openExample(page, example.id);
    await page.click(`${card} [data-check-schedules]`);
    await page.waitForSelector(`${card} [data-schedules="running"] progress`);
    await page.click(`${card} [data-stop-schedules]`);
    await page.waitForSelector(`${card} [data-schedules="done"] >> text=/Stopped after \\d+ of 200 schedules; not saved\\./`);
    expect(await page.locator(`${card} .badge`).textContent()).toContain('not checked');
    const before = await runCount(page);
    await page.keyboard.press('Control+Enter');
    expect(await waitForRun(page, before + 1)).toBe('ok');
  });
});
