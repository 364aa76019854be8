/** Detail of `event-select`: the user picked a trace event. */
export interface EventSelectDetail {
  seq: number;
}

/** Detail of `reveal-line`: show this position of the user's code in the editor (1-based). */
export interface RevealLineDetail {
  line: number;
  column?: number;
}

/** Detail of `time-change`: the user moved the scrubber to this virtual time (ms). */
export interface TimeChangeDetail {
  time: number;
}

/** Detail of `correlation-change`: the user narrowed a view to one correlation id (`undefined`: all again). */
export interface CorrelationChangeDetail {
  correlationId: string | undefined;
}

/** The events the trace views dispatch (they bubble and cross shadow roots). */
export interface ViewEventMap {
  'event-select': CustomEvent<EventSelectDetail>;
  'reveal-line': CustomEvent<RevealLineDetail>;
  'time-change': CustomEvent<TimeChangeDetail>;
  'correlation-change': CustomEvent<CorrelationChangeDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends ViewEventMap {}
}

/**
 * Dispatches a typed view event from `target`; it bubbles and is composed,
 * so the owning element can listen once for all its views.
 *
 * @example
 * emit(this, 'event-select', { seq: 12 });
 * // owner: view.addEventListener('event-select', (e) => select(e.detail.seq));
 */
export function emit<K extends keyof ViewEventMap>(target: EventTarget, type: K, detail: ViewEventMap[K]['detail']): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** Registers a custom element once (a second import, e.g. in tests or hot reload, is a no-op). */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
