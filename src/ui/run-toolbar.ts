import { LitElement, css, html, svg, type PropertyValues, type TemplateResult } from 'lit';
import { emitControl } from './control-events.js';

/** How the last run went, as the toolbar shows it. */
export interface RunSummary {
  status: string;
  message: string;
  wallMs: number;
  events: number;
  virtualTime: number;
  /** Set when what is shown is a trace file the learner opened, not a run: its name. */
  openedFile?: string;
}

/** How much of the toolbar is behind its "More" button. */
type Fold = 'none' | 'files' | 'all';

/**
 * Run controls: Run (Ctrl/Cmd+Enter), Stop, auto-run, seed with "new seed",
 * reset, share (Ctrl/Cmd+S), exports, opening a trace file, theme, on one row.
 * Where that row does not fit (measured, so fonts and zoom count), the file
 * actions (trace JSON, Mermaid, open trace, download project) fold into a menu
 * behind a "More" button; when `compact` (a narrow screen), everything after
 * Run and Stop does. The menu is a disclosure: Escape closes it and gives the
 * focus back to the button.
 *
 * Events (typed in control-events.ts): `run-request`, `stop-request`, `autorun-change` {value},
 * `seed-change` {seed}, `new-seed`, `reset-code`, `share-request`, `export-trace`, `copy-mermaid`, `open-trace`, `download-project`, `theme-toggle`.
 */
export class RunToolbar extends LitElement {
  static override properties = {
    running: { type: Boolean },
    autoRun: { type: Boolean },
    seed: { type: String },
    edited: { type: Boolean },
    summary: { attribute: false },
    seedError: { state: true },
    theme: { type: String },
    compact: { type: Boolean, reflect: true },
    menuOpen: { state: true },
    foldFiles: { state: true },
  };
  declare running: boolean;
  declare autoRun: boolean;
  declare seed: string;
  declare edited: boolean;
  declare theme: string;
  /** Fold the secondary controls into a menu. */
  declare compact: boolean;
  private declare menuOpen: boolean;
  /** The row does not fit with the file actions in it: they go behind "More". */
  private declare foldFiles: boolean;
  /** The width the controls take on one row with nothing folded, as last measured. */
  private rowWidth = 0;
  private readonly resize = new ResizeObserver(() => this.fitRow());
  /**
   * Measures the controls of the unfolded row. Its callback comes after the browser's own layout, so
   * reading sizes there costs nothing; read in `updated()`, they forced a layout of the page on every
   * update of the toolbar (each run's status), 30 ms of the first load.
   */
  private readonly rowSizes = new ResizeObserver((entries) => this.measureRow(entries));
  private rowControls: Element[] = [];
  private readonly controlWidths = new Map<Element, number>();
  declare summary: RunSummary | undefined;
  private declare seedError: string;

  constructor() {
    super();
    this.running = false;
    this.autoRun = true;
    this.seed = '1';
    this.edited = false;
    this.theme = 'system';
    this.seedError = '';
    this.compact = false;
    this.menuOpen = false;
    this.foldFiles = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.rowSizes.disconnect();
    this.rowControls = [];
  }

  private get fold(): Fold {
    return this.compact ? 'all' : this.foldFiles ? 'files' : 'none';
  }

  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35rem;
      font-size: 0.85rem;
    }
    button {
      font: inherit;
      padding: 0.25rem 0.45rem;
      border-radius: 6px;
      border: 1px solid var(--spp-border, #ccc);
      background: var(--spp-bg, #fff);
      color: var(--spp-fg, #222);
      cursor: pointer;
      white-space: nowrap;
    }
    button.primary {
      background: var(--spp-accent, #25d);
      border-color: var(--spp-accent, #25d);
      color: var(--spp-on-accent, #fff);
      font-weight: 600;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    button:focus-visible,
    input:focus-visible {
      outline: 2px solid var(--spp-accent, #25d);
      outline-offset: 1px;
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
      white-space: nowrap;
    }
    input[type='text'] {
      font: inherit;
      width: 6rem;
      padding: 0.25rem 0.4rem;
      border-radius: 6px;
      border: 1px solid var(--spp-border, #ccc);
      background: var(--spp-bg, #fff);
      color: var(--spp-fg, #222);
    }
    input[aria-invalid='true'] {
      border-color: var(--spp-error, #c22);
    }
    .sep {
      width: 1px;
      height: 1.4rem;
      background: var(--spp-border, #ccc);
    }
    .status {
      color: var(--spp-muted, #667);
      margin-left: auto;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
      max-width: 100%;
      flex-basis: 100%;
      text-align: right;
    }
    /* On a phone one line holds half of it: up to two lines there. */
    :host([compact]) .status {
      white-space: normal;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
    }
    /* A figure and its unit wrap as one ("4.51 s virtual", not "4.51" over "s virtual"). */
    .status .figure {
      white-space: nowrap;
    }
    .status[data-status='error'],
    .status[data-status='timeout'],
    .status[data-status='budget'] {
      color: var(--spp-error, #c22);
    }
    .err {
      color: var(--spp-error, #c22);
      font-size: 0.78rem;
    }
    kbd {
      font-size: 0.72rem;
      font-family: inherit;
      font-weight: 400;
    }
    .menu-wrap {
      position: relative;
    }
    .menu {
      position: absolute;
      right: 0;
      top: calc(100% + 4px);
      z-index: 20;
      display: flex;
      flex-direction: column;
      align-items: stretch;
      gap: 0.45rem;
      min-width: 13rem;
      padding: 0.6rem;
      border: 1px solid var(--spp-border, #ccc);
      border-radius: 8px;
      background: var(--spp-bg, #fff);
      box-shadow: 0 6px 20px rgb(0 0 0 / 0.25);
    }
    .menu[hidden],
    .menu .sep,
    :host([compact]) kbd {
      display: none;
    }
    .menu:focus {
      outline: none;
    }
    .menu label {
      justify-content: space-between;
    }
    .menu label:has(input[type='checkbox']) {
      justify-content: flex-start;
    }
    button.icon {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      padding: 0.25rem 0.4rem;
    }
    button.icon svg {
      display: block;
    }
    /* In the menu, where there is room, buttons say more (the theme in words, "New seed", "Reset code"). */
    .in-menu {
      display: none;
    }
    .menu .in-menu {
      display: inline;
    }
  `;

  private onSeed(e: Event) {
    const value = (e.target as HTMLInputElement).value.trim();
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(value)) {
      this.seedError = 'A seed is 1–32 letters, digits, "-" or "_".';
      return;
    }
    this.seedError = '';
    emitControl(this, 'seed-change', { seed: value });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A toolbar that unfolds (the window grew) starts with its menu closed when it folds again.
    if (changed.has('compact') || (changed as Map<PropertyKey, unknown>).has('foldFiles')) this.menuOpen = false;
  }

  protected override updated(): void {
    // The unfolded row's controls are watched for their widths (the status line has a row of its own).
    const controls = this.fold === 'none' ? [...this.renderRoot.children].filter((e) => !e.classList.contains('status') && e.tagName !== 'STYLE') : [];
    if (controls.length === this.rowControls.length && controls.every((e, i) => e === this.rowControls[i])) return;
    this.rowSizes.disconnect();
    this.controlWidths.clear();
    this.rowControls = controls;
    for (const e of controls) this.rowSizes.observe(e);
  }

  /** The width of the controls side by side, from their sizes as just laid out. */
  private measureRow(entries: ResizeObserverEntry[]): void {
    for (const entry of entries) this.controlWidths.set(entry.target, entry.borderBoxSize[0]?.inlineSize ?? entry.target.getBoundingClientRect().width);
    if (this.rowControls.length === 0 || this.controlWidths.size < this.rowControls.length) return;
    const gap = parseFloat(getComputedStyle(this).columnGap) || 0;
    this.rowWidth = this.rowControls.reduce((sum, e) => sum + (this.controlWidths.get(e) ?? 0), 0) + gap * Math.max(0, this.rowControls.length - 1);
    this.fitRow();
  }

  /** Folds the file actions when the full row is wider than the toolbar, and unfolds them when it fits again. */
  private fitRow(): void {
    if (this.compact || this.rowWidth === 0) return;
    const fold = this.rowWidth > this.clientWidth + 0.5;
    if (fold !== this.foldFiles) this.foldFiles = fold;
  }

  /** Opens or closes the menu of a compact toolbar; closing gives the focus back to its button. */
  private setMenu(open: boolean, opts: { refocus: boolean }): void {
    this.menuOpen = open;
    if (!open && opts.refocus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.menu-toggle')?.focus());
  }

  /** A one-off action: in the compact menu, it closes the menu too. */
  private act(name: 'reset-code' | 'share-request' | 'export-trace' | 'copy-mermaid' | 'open-trace' | 'download-project'): void {
    emitControl(this, name);
    if (this.menuOpen) this.setMenu(false, { refocus: true });
  }

  private onMenuKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !this.menuOpen) return;
    e.preventDefault(); // not also a Stop (the page's Escape shortcut)
    this.setMenu(false, { refocus: true });
  };

  private onMenuFocusOut = (e: FocusEvent): void => {
    const wrap = e.currentTarget as HTMLElement;
    if (this.menuOpen && !(e.relatedTarget instanceof Node && wrap.contains(e.relatedTarget))) this.setMenu(false, { refocus: false });
  };

  override render() {
    const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
    const s = this.summary;
    const fold = this.fold;
    return html`
      <button class="primary" data-action="run" ?disabled=${this.running} @click=${() => emitControl(this, 'run-request')} title="Run (${mod}+Enter)">
        Run <kbd>${mod}+Enter</kbd>
      </button>
      <button data-action="stop" ?disabled=${!this.running} @click=${() => emitControl(this, 'stop-request')}>Stop</button>
      ${fold === 'all'
        ? this.renderMenu('More run controls', html`${this.renderSettings(mod)}${this.renderFiles()}${this.renderTheme()}`)
        : fold === 'files'
          ? html`${this.renderSettings(mod)}${this.renderTheme()}${this.renderMenu('Trace and project files', this.renderFiles())}`
          : html`${this.renderSettings(mod)}${this.renderFiles()}${this.renderTheme()}`}
      <span class="status" role="status" data-status=${s?.openedFile !== undefined ? 'opened' : (s?.status ?? 'idle')}>${this.running ? 'Running…' : statusText(s)}</span>
    `;
  }

  /** The "More" button and the menu it opens, holding `items`. */
  private renderMenu(label: string, items: unknown) {
    return html`<div class="menu-wrap" @keydown=${this.onMenuKey} @focusout=${this.onMenuFocusOut}>
      <button class="menu-toggle" data-action="menu" aria-expanded=${String(this.menuOpen)} aria-controls="toolbar-menu" @click=${() => this.setMenu(!this.menuOpen, { refocus: false })}>
        More ▾
      </button>
      <div id="toolbar-menu" class="menu" tabindex="-1" role="group" aria-label=${label} ?hidden=${!this.menuOpen}>${items}</div>
    </div>`;
  }

  /** Auto-run, the seed, reset and share. */
  private renderSettings(mod: string) {
    return html`
      <label><input type="checkbox" data-action="autorun" .checked=${this.autoRun} @change=${(e: Event) => emitControl(this, 'autorun-change', { value: (e.target as HTMLInputElement).checked })} /> Auto-run</label>
      <span class="sep"></span>
      <label
        >Seed
        <input
          type="text"
          data-action="seed"
          .value=${this.seed}
          aria-invalid=${this.seedError ? 'true' : 'false'}
          aria-describedby="seed-error"
          @change=${(e: Event) => this.onSeed(e)}
      /></label>
      <button data-action="new-seed" aria-label="New seed" @click=${() => emitControl(this, 'new-seed')} title="Draw a new seed">New<span class="in-menu">&nbsp;seed</span></button>
      ${this.seedError ? html`<span id="seed-error" class="err" role="alert">${this.seedError}</span>` : null}
      <span class="sep"></span>
      <button data-action="reset" aria-label="Reset code" ?disabled=${!this.edited} @click=${() => this.act('reset-code')} title="Back to the example's original code">Reset<span class="in-menu">&nbsp;code</span></button>
      <button data-action="share" @click=${() => this.act('share-request')} title="Copy a link that reproduces this run (${mod}+S)">Share</button>
    `;
  }

  /** Exports, opening a trace file, downloading the project. */
  private renderFiles() {
    return html`
      <button data-action="export-trace" @click=${() => this.act('export-trace')} title="Download the trace as JSON">Trace JSON</button>
      <button data-action="copy-mermaid" @click=${() => this.act('copy-mermaid')} title="Copy the sequence diagram as Mermaid text">Mermaid</button>
      <button data-action="open-trace" @click=${() => this.act('open-trace')} title="Show a trace file (from Trace JSON or spp run --trace); you can also drop it on the page">
        Open trace…
      </button>
      <button
        data-action="download-project"
        aria-label="Download project .zip"
        @click=${() => this.act('download-project')}
        title="Download the code as a project (.zip) that runs on a real RabbitMQ, locally or with docker compose"
      >
        Project .zip
      </button>
    `;
  }

  /** The theme switch: an icon of the current theme, named in words for assistive technology. */
  private renderTheme() {
    const label = `Theme: ${this.theme}`;
    return html`<button class="icon" data-action="theme" aria-label=${label} @click=${() => emitControl(this, 'theme-toggle')} title="${label} (click to switch)">
      ${themeIcon(this.theme)}<span class="in-menu">${label}</span>
    </button>`;
  }
}
/** A small picture of a theme: a sun (light), a moon (dark), a half-filled circle (the system's). */
function themeIcon(theme: string) {
  const shape =
    theme === 'light'
      ? svg`<circle cx="8" cy="8" r="3.2" fill="currentColor"/><path d="M8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6 13 13M3 13l1.4-1.4M11.6 4.4 13 3" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/>`
      : theme === 'dark'
        ? svg`<path d="M10.5 1.8a6.3 6.3 0 1 0 3.7 9.9A5.2 5.2 0 0 1 10.5 1.8Z" fill="currentColor"/>`
        : svg`<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M8 2a6 6 0 0 0 0 12Z" fill="currentColor"/>`;
  return html`<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">${shape}</svg>`;
}

/** The status line: how the last run ended, or which trace file is shown. */
function statusText(s: RunSummary | undefined): TemplateResult | string {
  if (!s) return '';
  const figure = (text: string) => html`<span class="figure">${text}</span>`;
  const events = figure(`${s.events.toLocaleString('en-US')} events`);
  const virtual = `${(s.virtualTime / 1000).toFixed(2)} s`;
  if (s.openedFile !== undefined) return html`Opened trace ${s.openedFile} · ${events} · ${figure(`${virtual} of trace time`)} · run the code to go back`;
  return html`${s.message} · ${figure(`${Math.round(s.wallMs)} ms`)} · ${events} · ${figure(`${virtual} virtual`)}`;
}

customElements.define('spp-run-toolbar', RunToolbar);
declare global {
  interface HTMLElementTagNameMap {
    'spp-run-toolbar': RunToolbar;
  }
}
