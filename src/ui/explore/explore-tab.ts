import { html, nothing, type TemplateResult } from 'lit';
import type { TraceEvent } from '../../sim/trace.js';
import type { ExploreTabInputs } from './explore-host.js';

let loading: Promise<unknown> | undefined;

/**
 * Loads the Explore panel's chunk (the explore engine, shrinking, the saga
 * checkers): only when the tab is first opened, so the page's first load
 * does not carry it.
 */
export function loadExplorePanel(): Promise<unknown> {
  return (loading ??= import('./explore-panel.js').catch((e: unknown) => {
    loading = undefined; // try again next time
    throw e;
  }));
}

/**
 * The Explore panel once it has been opened: it stays in the page (hidden
 * behind the other tabs) so that an explore keeps running, and its results
 * stay, while the learner replays a case in the other views.
 */
export function renderExploreTab(active: boolean, inputs: ExploreTabInputs | undefined): TemplateResult | typeof nothing {
  if (!inputs || (!active && !loading)) return nothing;
  if (active) void loadExplorePanel().catch(() => undefined);
  return html`<spp-explore-panel
    ?hidden=${!active}
    .host=${inputs.host}
    .example=${inputs.example}
    .code=${inputs.code}
    .faults=${inputs.faults}
    .services=${inputs.services}
    .queues=${inputs.queues}
    .sagas=${inputs.sagas}
    .command=${inputs.command}
    ><p class="empty">Loading Explore…</p></spp-explore-panel
  >`;
}

/** Whether a trace shows a saga at work (its steps, or its recorded effects on money, stock and orders). */
export function usesSagas(events: readonly TraceEvent[]): boolean {
  return events.some((e) => e.kind.startsWith('saga.'));
}
