import { html, nothing, type TemplateResult } from 'lit';
import type { FaultPlan } from '../../sim/faults.js';
import type { ReplayCase, Seed } from './explore-host.js';

/** A case of an explore open as the page's run, and what was on screen before it. */
export interface ReplayedCase extends ReplayCase {
  before: { seed: Seed; faults: FaultPlan };
}

/**
 * The notice above the views while a replayed case is the page's run: what
 * it is, and a way back to the seed and fault plan from before.
 */
export function renderReplayNotice(replayed: ReplayedCase | undefined, back: () => void): TemplateResult | typeof nothing {
  if (!replayed) return nothing;
  const faults = Object.keys(replayed.faults).length;
  return html`<div class="banner replay-notice" data-tone="info" role="status">
    <span
      >Replaying ${replayed.label}: seed <strong>${String(replayed.seed)}</strong> with ${faults ? 'its own fault plan (see Faults)' : 'no faults'}. Changing the seed or the
      faults leaves it.</span
    >
    <button class="small" data-action="end-replay" @click=${back}>Back to seed ${String(replayed.before.seed)} and your fault plan</button>
  </div>`;
}
