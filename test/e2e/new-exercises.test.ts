/**
 * The exercises added with the load examples, the many-schedule checks and
 * the capstone, checked in the page as a learner checks them: each fails on
 * the code it starts from and passes on its reference solution pasted into
 * the editor. (The Node tests check the same in examples/ and test/explore/;
 * this shows the page judges them the same way.)
 */
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadExample } from '../../examples/index.js';
import type { Exercise } from '../../examples/types.js';
import { browserForFile, open, openExample, replaceCode, runCount, waitForRun } from './page.js';

const base = inject('baseUrl');

const browser = browserForFile();

const card = (exercise: Exercise) => `spp-lesson-panel [data-exercise="${exercise.id}"]`;
const badge = (page: Page, exercise: Exercise) => page.locator(`${card(exercise)} .badge`).textContent();

/** Checks an exercise judged over many schedules and waits for its verdict; the number of failing checks. */
async function checkOverSchedules(page: Page, exercise: Exercise): Promise<number> {
  await page.locator(card(exercise)).scrollIntoViewIfNeeded();
  await page.click(`${card(exercise)} [data-check-schedules]`);
  await page.waitForSelector(`${card(exercise)} [data-schedules="done"]`, { timeout: 240_000 });
  return page.locator(`${card(exercise)} li[data-passed=false]`).count();
}

/** Puts code in the editor and waits for the run it causes. */
async function runCode(page: Page, code: string): Promise<string> {
  const before = await runCount(page);
  await replaceCode(page, code);
  return waitForRun(page, before + 1, 60_000);
}

describe.each([
  ['retry-storm', 'retry-budget'],
  ['retry-storm', 'breaker'],
  ['cascading-failure', 'bulkheads'],
])('%s / %s, checked on the run', (exampleId, exerciseId) => {
  it('fails on the starting code and passes on the solution', { timeout: 180_000 }, async () => {
    const example = await loadExample(exampleId);
    const exercise = example.exercises.find((x) => x.id === exerciseId)!;
    expect(exercise, `${exampleId} has an exercise ${exerciseId}`).toBeDefined();
    const errors: string[] = [];
    const page = await open(browser(), base, errors);
    expect(await openExample(page, exampleId)).toBe('ok');
    await page.waitForSelector(`${card(exercise)} li[data-passed]`);
    expect(await badge(page, exercise)).toContain('not yet');
    expect(await runCode(page, exercise.solution)).toBe('ok');
    await page.waitForSelector(`${card(exercise)} .badge.ok`, { timeout: 20_000 });
    expect(await page.locator(`${card(exercise)} li[data-passed=false]`).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe.each([
  ['idempotency', 'overtaking-retry'],
  ['retry-backoff', 'longer-outage'],
  ['capstone', 'order-system'],
])('%s / %s, checked over many schedules', (exampleId, exerciseId) => {
  it('fails on the code it starts from and passes on the solution', { timeout: 600_000 }, async () => {
    const example = await loadExample(exampleId);
    const exercise = example.exercises.find((x) => x.id === exerciseId)!;
    expect(exercise?.explore, `${exampleId} has an exercise ${exerciseId} checked over schedules`).toBeDefined();
    const errors: string[] = [];
    const page = await open(browser(), base, errors);
    expect(await openExample(page, exampleId)).toBe('ok');
    if (exercise.starter !== undefined) {
      const before = await runCount(page);
      await page.click(`${card(exercise)} [data-load-starter]`);
      await waitForRun(page, before + 1, 60_000);
    }
    expect(await checkOverSchedules(page, exercise)).toBeGreaterThan(0);
    expect(await badge(page, exercise)).toContain('not yet');
    expect(await runCode(page, exercise.solution)).toBe('ok');
    expect(await checkOverSchedules(page, exercise)).toBe(0);
    expect(await badge(page, exercise)).toContain('passed');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
