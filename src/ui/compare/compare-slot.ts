import type { Example } from '../../../examples/types.js';
import type { CompareLink, Seed } from '../../share/index.js';
import type { FaultPlan } from '../../sim/faults.js';
import type { CompareDeps } from './compare-panel.js';

/** What the Compare tab shows its panel: the run on screen and the page's facilities. */
export interface CompareInputs {
  example: Example;
  code: string;
  seed: Seed;
  faults: FaultPlan;
  deps: CompareDeps;
  /** No run of the page's own is under way (the sandbox is free): a compare link starts only then. */
  idle: boolean;
}

type PanelElement = HTMLElement & Partial<CompareInputs> & { start?: CompareLink; stop?: () => void };

/**
 * The Compare tab's one `<spp-compare-panel>`, kept across tab switches (a
 * compare under way and its result survive a look at another view) and
 * loaded as a chunk of its own the first time the tab opens: explore, the
 * aligned diagrams and the tables stay out of the page's first load.
 *
 * @example
 * const slot = new CompareSlot();
 * html`${slot.render({ example, code, seed, faults, deps })}`;
 */
export class CompareSlot {
  private element: PanelElement | undefined;
  private loading: Promise<unknown> | undefined;
  /** A compare link the page opened: the panel runs it once. */
  start: CompareLink | undefined;

  constructor(private readonly load: () => Promise<unknown> = () => import('./compare-panel.js')) {}

  /** The panel with these inputs (a placeholder text until its chunk has loaded). */
  render(inputs: CompareInputs): HTMLElement {
    const el = (this.element ??= document.createElement('spp-compare-panel') as PanelElement);
    if (!this.loading) {
      // Shown only until the element upgrades: its shadow root then takes the place of this text.
      el.textContent = 'Loading the compare view…';
      this.loading = this.load().catch((e: unknown) => {
        this.loading = undefined;
        el.textContent = `The compare view could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`;
      });
    }
    Object.assign(el, inputs, this.start ? { start: this.start } : {});
    return el;
  }

  /** Drops the panel (a new example starts a new compare), stopping a compare under way. */
  reset(): void {
    this.element?.stop?.();
    this.element = undefined;
    this.start = undefined;
  }
}
