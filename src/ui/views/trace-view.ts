import { LitElement, type PropertyDeclarations } from 'lit';
import type { TraceEvent } from '../../sim/trace.js';

/**
 * Base of the trace views: every view shows a trace (`events`) as it stood at
 * a scrub time (`time`, ms; `Infinity`, the default, is the end). A subclass
 * adds its own properties with `static properties`; Lit keeps these two.
 *
 * @example
 * class SppQueueList extends TraceView {
 *   protected override render() {
 *     return html`${queueStats(this.events, this.time).map((q) => html`<p>${q.queue}: ${q.depth}</p>`)}`;
 *   }
 * }
 */
export class TraceView extends LitElement {
  static override properties: PropertyDeclarations = {
    events: { attribute: false },
    time: { type: Number },
  };

  /** The trace, in order. */
  declare events: readonly TraceEvent[];
  /** Scrub position in virtual ms: events after it are not shown. */
  declare time: number;

  constructor() {
    super();
    this.events = [];
    this.time = Infinity;
  }
}
