import type { RunReport } from '../../runner/protocol.js';
import { encodeShareLink } from '../../share/index.js';
import type { FaultPlan } from '../../sim/faults.js';
import { traceToJSON } from '../../sim/trace.js';
import type { AppDeps } from '../app-deps.js';
import { toMermaid } from '../views/index.js';
import type { BannerList } from './banner-list.js';

/** What is on screen, as far as sharing and exporting care. */
export interface ShareState {
  exampleId: string;
  seed: string | number;
  code: string;
  /** The example's original code: a link carries the code only when it differs. */
  original: string;
  faults: FaultPlan;
  report: RunReport | undefined;
}

/** What {@link ShareActions} needs from the app. */
export interface ShareActionsOptions {
  deps: Pick<AppDeps, 'initialUrl' | 'replaceHash' | 'copyText' | 'download'>;
  banners: Pick<BannerList, 'add'>;
}

/**
 * Share (a link that reproduces the run), the trace as JSON, and the
 * sequence diagram as Mermaid text. Each tells the learner in a banner what
 * happened, including when the clipboard is not available.
 *
 * @example
 * const actions = new ShareActions({ deps, banners });
 * await actions.share({ exampleId, seed, code, original, faults, report });
 */
export class ShareActions {
  constructor(private readonly options: ShareActionsOptions) {}

  /** Puts a link to this exact run in the address bar and copies it (or shows it when copying fails). */
  async share(state: ShareState): Promise<void> {
    const { deps, banners } = this.options;
    const edited = state.code !== state.original;
    const hasFaults = Object.keys(state.faults).length > 0;
    const encoded = encodeShareLink(
      {
        exampleId: state.exampleId,
        seed: state.seed,
        ...(edited ? { code: state.code } : {}),
        ...(hasFaults ? { faults: state.faults as Record<string, unknown> } : {}),
      },
      deps.initialUrl,
    );
    if (!encoded.ok) {
      banners.add('error', encoded.error.message);
      return;
    }
    deps.replaceHash(encoded.hash);
    try {
      await deps.copyText(encoded.url);
      banners.add('info', 'Link copied: it reproduces this exact run (code, seed and faults).', { autoCloseMs: 4000 });
    } catch {
      banners.add('info', `Copy this link: ${encoded.url}`);
    }
  }

  /** Downloads the last run's trace as JSON. */
  exportTrace(state: ShareState): void {
    const events = state.report?.events;
    if (!events?.length) return void this.options.banners.add('info', 'Run the code first: there is no trace to export yet.', { autoCloseMs: 4000 });
    this.options.deps.download(`trace-${state.exampleId}-seed-${state.seed}.json`, JSON.stringify(traceToJSON(events), null, 1), 'application/json');
  }

  /** Copies the last run's sequence diagram as Mermaid text. */
  async copyMermaid(state: ShareState): Promise<void> {
    const { deps, banners } = this.options;
    const events = state.report?.events;
    if (!events?.length) return void banners.add('info', 'Run the code first: there is no diagram to copy yet.', { autoCloseMs: 4000 });
    try {
      await deps.copyText(toMermaid(events));
      banners.add('info', 'Sequence diagram copied as Mermaid text.', { autoCloseMs: 4000 });
    } catch {
      banners.add('error', 'The clipboard is not available here.');
    }
  }
}
