import { LitElement, css, html } from 'lit';
import { emitControl } from './control-events.js';

/** How the last run went, as the toolbar shows it. */
export interface RunSummary {
  status: string;
  message: string;
  wallMs: number;
  events: number;
  virtualTime: number;
}

/**
 * Run controls: Run (Ctrl/Cmd+Enter), Stop, auto-run, seed with "new seed",
 * reset, share (Ctrl/Cmd+S), exports, theme.
 *
 * Events (typed in control-events.ts): `run-request`, `stop-request`, `autorun-change` {value},
 * `seed-change` {seed}, `new-seed`, `reset-code`, `share-request`, `export-trace`, `copy-mermaid`, `theme-toggle`.
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
  };
  declare running: boolean;
  declare autoRun: boolean;
  declare seed: string;
  declare edited: boolean;
  declare theme: string;
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
  }

  static override styles = css`
    :host {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.45rem;
      font-size: 0.85rem;
    }
    button {
      font: inherit;
      padding: 0.25rem 0.55rem;
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
      color: #fff;
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
      width: 7rem;
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
      opacity: 0.8;
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

  override render() {
    const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
    const s = this.summary;
    return html`
      <button class="primary" data-action="run" ?disabled=${this.running} @click=${() => emitControl(this, 'run-request')} title="Run (${mod}+Enter)">
        Run <kbd>${mod}+Enter</kbd>
      </button>
      <button data-action="stop" ?disabled=${!this.running} @click=${() => emitControl(this, 'stop-request')}>Stop</button>
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
      <button data-action="new-seed" @click=${() => emitControl(this, 'new-seed')} title="Draw a new seed">New seed</button>
      ${this.seedError ? html`<span id="seed-error" class="err" role="alert">${this.seedError}</span>` : null}
      <span class="sep"></span>
      <button data-action="reset" ?disabled=${!this.edited} @click=${() => emitControl(this, 'reset-code')} title="Back to the example's original code">Reset code</button>
      <button data-action="share" @click=${() => emitControl(this, 'share-request')} title="Copy a link that reproduces this run (${mod}+S)">Share</button>
      <button data-action="export-trace" @click=${() => emitControl(this, 'export-trace')} title="Download the trace as JSON">Trace JSON</button>
      <button data-action="copy-mermaid" @click=${() => emitControl(this, 'copy-mermaid')} title="Copy the sequence diagram as Mermaid text">Mermaid</button>
      <button data-action="theme" @click=${() => emitControl(this, 'theme-toggle')} title="Theme: ${this.theme}">Theme: ${this.theme}</button>
      <span class="status" role="status" data-status=${s?.status ?? 'idle'}>
        ${this.running
          ? 'Running…'
          : s
            ? `${s.message} · ${Math.round(s.wallMs)} ms · ${s.events.toLocaleString('en-US')} events · ${(s.virtualTime / 1000).toFixed(2)} s virtual`
            : ''}
      </span>
    `;
  }
}
customElements.define('spp-run-toolbar', RunToolbar);
declare global {
  interface HTMLElementTagNameMap {
    'spp-run-toolbar': RunToolbar;
  }
}
