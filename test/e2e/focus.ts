// Helpers of the accessibility end-to-end tests: a page at a given size and theme, and where the focus is.
import type { Browser, Page } from 'playwright-core';
import { newContext, waitForRun } from './page.js';

/** Opens a fresh page (own storage) of `viewport` at `url` and waits for its first run. */
export async function openSized(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
  opts: { colorScheme?: 'light' | 'dark'; bypassCSP?: boolean } = {},
): Promise<Page> {
  const context = await newContext(browser, { viewport, colorScheme: opts.colorScheme ?? 'light', bypassCSP: opts.bypassCSP ?? false });
  const page = await context.newPage();
  await page.goto(url);
  await waitForRun(page, 1);
  return page;
}

/** What has the keyboard focus, looking into shadow roots. */
export interface Focused {
  tag: string;
  role: string | null;
  /** The `data-action` of a toolbar control. */
  action: string | null;
  text: string;
  /** The custom element (spp-…) the focused element is in or is, if any. */
  within: string | null;
  /** Inside the code editor. */
  inEditor: boolean;
}

/** Where the focus is now. */
export function deepFocus(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return { tag: '', role: null, action: null, text: '', within: null, inEditor: false };
    let host: Element | null = el;
    let within: string | null = null;
    while (host) {
      if (host.tagName.startsWith('SPP-') && host.tagName !== 'SPP-APP') {
        within = host.tagName.toLowerCase();
        break;
      }
      host = host.parentElement ?? ((host.getRootNode() as ShadowRoot).host || null);
    }
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      action: el.getAttribute('data-action'),
      text: (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60),
      within,
      inEditor: within === 'spp-code-editor',
    };
  });
}

/** Presses Tab until `found` holds for the focused element (at most `max` presses); returns it. */
export async function tabUntil(page: Page, found: (f: Focused) => boolean, what: string, max = 12): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await deepFocus(page);
    if (found(f)) return f;
    seen.push(`${f.within ?? ''} ${f.tag}[${f.role ?? ''}] ${f.text}`);
  }
  throw new Error(`Tab never reached ${what}; it went through: ${seen.join(' | ')}`);
}
