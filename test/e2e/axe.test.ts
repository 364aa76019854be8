import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserForFile, openSized } from './focus.js';
import { openExample, SHOTS } from './page.js';

const base = inject('baseUrl');

const browser = browserForFile();

/** The serious and critical axe-core violations on the page (or in its part `within`) as it is now, one line each. */
async function seriousViolations(page: Page, within?: string): Promise<string[]> {
  // The page's own CSP blocks the script axe injects: the context is opened with bypassCSP.
  const builder = new AxeBuilder({ page });
  if (within) builder.include(within);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? '').split('\n')[1]?.trim() ?? ''}`));
}

/** Checks the whole page, then opens each of `tabs` (default: every view tab) in turn and checks the views section on each. */
async function checkTabs(page: Page, label: string, tabs?: string[]): Promise<string[]> {
  const found = (await seriousViolations(page)).map((v) => `${label}: ${v}`);
  for (const tab of tabs ?? (await page.$$eval('#pane-views [role=tab][data-tab]', (els) => els.map((e) => e.getAttribute('data-tab')!)))) {
    await page.click(`[role=tab][data-tab=${tab}]`);
    await page.waitForFunction((t) => document.querySelector(`[role=tab][data-tab=${t}]`)?.getAttribute('aria-selected') === 'true', tab);
    found.push(...(await seriousViolations(page, '#pane-views')).map((v) => `${label} ${tab}: ${v}`));
  }
  return found;
}

describe('accessibility (axe-core)', () => {
  // The breaker example fills every view (breaker states, warnings in the logs, queues); the saga
  // example adds the saga board's compensations. Each axe pass takes seconds, so the saga example
  // is checked on the views it adds.
  const cases = [
    { example: 'circuit-breaker', tabs: undefined },
    { example: 'orchestration-saga', tabs: ['sagas', 'sequence', 'map'] },
  ];
  for (const { example, tabs } of cases) {
    for (const theme of ['light', 'dark'] as const) {
      it(`finds no serious or critical violation on ${tabs ? tabs.join(', ') : 'every view'} of ${example} in ${theme} mode`, { timeout: 240_000 }, async () => {
        const page = await openSized(browser(), base, { width: 1280, height: 800 }, { colorScheme: theme, bypassCSP: true });
        await openExample(page, example);
        // The editor's own colours count too (the dark theme's comments).
        await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
        expect(await checkTabs(page, `${example} ${theme}`, tabs)).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/axe-${example}-${theme}.png` });
        await page.context().close();
      });
    }
  }

  it('finds none on any pane of the narrow layout either (dark mode)', { timeout: 240_000 }, async () => {
    const page = await openSized(browser(), base, { width: 390, height: 844 }, { colorScheme: 'dark', bypassCSP: true });
    const found: string[] = [];
    for (const pane of ['examples', 'lesson', 'code']) {
      await page.click(`[role=tab][data-pane=${pane}]`);
      found.push(...(await seriousViolations(page, `#pane-${pane}`)).map((v) => `${pane}: ${v}`));
    }
    await page.click('spp-run-toolbar >> [data-action=menu]');
    found.push(...(await seriousViolations(page, 'header')).map((v) => `menu: ${v}`));
    await page.keyboard.press('Escape');
    await page.click('[role=tab][data-pane=views]');
    found.push(...(await checkTabs(page, 'narrow', ['sequence', 'logs'])));
    expect(found).toEqual([]);
    await page.context().close();
  });
});
