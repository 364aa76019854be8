/**
 * The events of the pattern reference (they bubble and cross shadow roots,
 * like the page's control events, and are typed the same way).
 * - `pattern-anchor` {id}: go to an entry of the reference ('' for its top),
 *   without a new history entry;
 * - `patterns-close`: back to the playground.
 */
export interface PatternAnchorDetail {
  id: string;
}

declare global {
  interface HTMLElementEventMap {
    'pattern-anchor': CustomEvent<PatternAnchorDetail>;
    'patterns-close': CustomEvent<null>;
  }
}

/** Asks the page to show entry `id` of the reference ('' for its top). */
export function emitPatternAnchor(target: EventTarget, id: string): void {
  target.dispatchEvent(new CustomEvent('pattern-anchor', { detail: { id }, bubbles: true, composed: true }));
}

/** Asks the page to go back to the playground. */
export function emitPatternsClose(target: EventTarget): void {
  target.dispatchEvent(new CustomEvent('patterns-close', { detail: null, bubbles: true, composed: true }));
}
