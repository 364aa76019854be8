// The one way the end-to-end tests ask axe-core about a page.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * The serious and critical axe-core violations on the page as it is now (or in its part `within`),
 * one line each: the rule, the element and axe's first reason.
 *
 * The page's own CSP blocks the script axe injects: open its context with bypassCSP.
 *
 * axe runs in the page itself (legacy mode) rather than in parts finished in a blank page that
 * @axe-core/playwright would open (a new renderer and a second copy of axe for each check), and
 * reports details of violations only: the same rules on the same elements, in a third of the time.
 * The one frame this skips is the code sandbox's, which is hidden and shows nothing.
 */
export async function seriousViolations(page: Page, within?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ['violations'] });
  if (within) builder.include(within);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? '').split('\n')[1]?.trim() ?? ''}`));
}
