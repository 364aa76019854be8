import { html, type TemplateResult } from 'lit';
import { VIEWS_WIDTH_LIMITS } from './settings.js';

/** How far one arrow key moves the splitter, in percent of the page's width. */
const KEY_STEP = 5;

/**
 * The width of the views column after a key on the splitter (the ARIA window
 * splitter pattern): ← moves the splitter left, so the views get wider, →
 * moves it right; Home and End go to the narrowest and widest views. Undefined
 * for any other key.
 *
 * @example
 * widthAfterKey(40, 'ArrowLeft'); // 45
 */
export function widthAfterKey(width: number, key: string): number | undefined {
  const { min, max } = VIEWS_WIDTH_LIMITS;
  if (key === 'ArrowLeft') return Math.min(max, width + KEY_STEP);
  if (key === 'ArrowRight') return Math.max(min, width - KEY_STEP);
  if (key === 'Home') return min;
  if (key === 'End') return max;
  return undefined;
}

/** The views' width, in percent of `page`, for a pointer at `clientX`: the views run from the pointer to the page's right edge. */
export function widthAtPointer(page: { left: number; width: number }, clientX: number): number {
  return ((page.left + page.width - clientX) / page.width) * 100;
}

/** Sets the views' width; `keep` when the change is final (a key, the end of a drag), so storage is written once. */
export type ResizeViews = (percent: number, opts: { keep: boolean }) => void;

/**
 * The bar between the code and the views on wide screens: drag it, or focus it
 * and use the arrow keys, Home and End, to share the width between them.
 */
export function renderColumnSplitter(width: number, resize: ResizeViews): TemplateResult {
  const { min, max } = VIEWS_WIDTH_LIMITS;
  const atPointer = (e: PointerEvent) => {
    const page = (e.currentTarget as HTMLElement).closest('spp-app')?.getBoundingClientRect();
    return page ? widthAtPointer(page, e.clientX) : width;
  };
  return html`<div
    class="splitter"
    role="separator"
    tabindex="0"
    aria-orientation="vertical"
    aria-label="Width of the views (←/→)"
    aria-controls="pane-views"
    aria-valuemin=${min}
    aria-valuemax=${max}
    aria-valuenow=${width}
    aria-valuetext="views ${width}% of the width"
    @keydown=${(e: KeyboardEvent) => {
      const next = widthAfterKey(width, e.key);
      if (next === undefined) return;
      e.preventDefault();
      resize(next, { keep: true });
    }}
    @pointerdown=${(e: PointerEvent) => {
      if (e.button !== 0) return;
      (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
      e.preventDefault();
    }}
    @pointermove=${(e: PointerEvent) => {
      if ((e.currentTarget as HTMLElement).hasPointerCapture(e.pointerId)) resize(atPointer(e), { keep: false });
    }}
    @pointerup=${(e: PointerEvent) => {
      if ((e.currentTarget as HTMLElement).hasPointerCapture(e.pointerId)) resize(atPointer(e), { keep: true });
    }}
  ></div>`;
}
