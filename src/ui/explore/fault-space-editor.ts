import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import type { FaultSpace, FaultSpaceIssue } from '../../sim/fault-space.js';
import { themeStyles } from '../views/theme.js';
import { define } from '../views/view-events.js';
import { defaultDimension, placeIssues, spaceGroups, withDimension, withField, withPartition, type DimensionRef, type SpaceField } from './fault-space-form.js';

/** Detail of `space-change`: the fault space as edited (maybe invalid: the issues say where). */
export interface SpaceChangeDetail {
  space: FaultSpace;
}

/**
 * `<spp-fault-space-editor>`: edits a fault space in place. Every service and
 * queue (of the space, and of the last run) lists what may vary for it, each
 * switched on or off: error rate, latency and down windows of a service;
 * duplicates, crashes after the effect before the ack, losses and delay of a
 * queue; partitions between two services; the broker's restarts. Rates and
 * chances are probabilities from 0 to 1, times are virtual ms. The issues
 * (from `checkFaultSpace`) show next to their field.
 *
 * Properties: `space`, `services`, `queues`, `issues`. Event: `space-change` {space}.
 */
export class FaultSpaceEditor extends LitElement {
  static override properties = {
    space: { attribute: false },
    services: { attribute: false },
    queues: { attribute: false },
    issues: { attribute: false },
  };

  declare space: FaultSpace;
  declare services: readonly string[];
  declare queues: readonly string[];
  declare issues: readonly FaultSpaceIssue[];
  private ids = 0;

  constructor() {
    super();
    this.space = {};
    this.services = [];
    this.queues = [];
    this.issues = [];
  }

  static override styles = [
    themeStyles,
    css`
      :host {
        background: transparent;
      }
      details.group {
        border: 1px solid var(--_border);
        border-radius: 6px;
        margin: 0 0 6px;
        padding: 3px 10px;
        min-width: 0;
      }
      details.group[open] {
        padding-bottom: 8px;
      }
      summary {
        cursor: pointer;
        overflow-wrap: anywhere;
      }
      summary .title {
        font-weight: 600;
      }
      .dim {
        padding: 3px 0;
      }
      .dim + .dim {
        border-top: 1px dashed var(--_border);
      }
      .fields {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 10px;
        margin: 3px 0 0 1.6em;
      }
      .field {
        display: inline-flex;
        flex-direction: column;
        font-size: 12px;
        color: var(--_muted);
      }
      input[type='number'] {
        width: 6.5em;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: 6px;
        padding: 2px 4px;
        color: var(--_fg);
      }
      input[aria-invalid='true'] {
        border-color: var(--_error);
        outline: 1px solid var(--_error);
      }
      .err {
        color: var(--_error);
        font-size: 12px;
        display: block;
        max-width: 22em;
      }
      .add {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      select {
        max-width: 10em;
      }
    `,
  ];

  private emitSpace(space: FaultSpace): void {
    this.dispatchEvent(new CustomEvent<SpaceChangeDetail>('space-change', { detail: { space }, bubbles: true, composed: true }));
  }

  private field(f: SpaceField, ref: DimensionRef, errors: readonly string[] | undefined): TemplateResult {
    const id = `e${++this.ids}`;
    const unit = f.unit === 'rate' ? ' (0–1)' : '';
    return html`<label class="field"
      ><span>${f.label}${unit}</span
      ><input
        type="number"
        data-path=${f.path}
        step=${f.unit === 'rate' ? '0.01' : '1'}
        min="0"
        .value=${f.value === undefined ? '' : String(f.value)}
        aria-invalid=${errors ? 'true' : 'false'}
        aria-describedby=${errors ? id : nothing}
        @change=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value.trim();
          this.emitSpace(withField(this.space, ref, f.key, raw === '' ? undefined : Number(raw)));
        }}
      />${errors ? html`<span class="err" id=${id} data-error-for=${f.path}>${errors.join('; ')}</span>` : nothing}</label
    >`;
  }

  override render() {
    this.ids = 0;
    const groups = spaceGroups(this.space, { services: this.services, queues: this.queues });
    const { at, elsewhere } = placeIssues(groups, this.issues);
    const services = [...new Set([...this.services, ...Object.keys(this.space.services ?? {})])].filter((s) => s !== 'client').sort();
    return html`
      ${elsewhere.length
        ? html`<ul class="err" role="alert">
            ${elsewhere.map((i) => html`<li>${i.path}: ${i.message}</li>`)}
          </ul>`
        : nothing}
      ${groups.length === 0 ? html`<p class="muted">Nothing to vary yet: run the code once, and its services and queues are listed here.</p>` : nothing}
      ${[...groups.filter((g) => g.dimensions.some((d) => d.on)), ...groups.filter((g) => !g.dimensions.some((d) => d.on))].map((g) => {
        const on = g.dimensions.filter((d) => d.on).length;
        return html`<details class="group" data-group=${g.id} ?open=${on > 0}>
          <summary><span class="title">${g.title}</span> <span class="muted">${on ? `${on} may vary` : 'nothing varies'}</span></summary>
          ${g.dimensions.map(
            (d) => html`<div class="dim" data-dim=${d.path}>
              <label
                ><input
                  type="checkbox"
                  data-toggle=${d.path}
                  .checked=${d.on}
                  @change=${(e: Event) => this.emitSpace(withDimension(this.space, d.ref, (e.target as HTMLInputElement).checked ? defaultDimension(d.ref) : undefined))}
                />
                ${d.label}</label
              >
              ${at.get(d.path) ? html`<span class="err" data-error-for=${d.path}>${at.get(d.path)!.join('; ')}</span>` : nothing}
              ${d.on ? html`<div class="fields">${d.fields.map((f) => this.field(f, d.ref, at.get(f.path)))}</div>` : nothing}
            </div>`,
          )}
          ${g.removable ? html`<button class="small" data-action="remove-partition" @click=${() => this.emitSpace(withDimension(this.space, g.removable!, undefined))}>Remove partition</button>` : nothing}
        </details>`;
      })}
      ${services.length >= 2 ? this.renderAddPartition(services) : nothing}
    `;
  }

  private renderAddPartition(services: readonly string[]): TemplateResult {
    const pick = (name: string) => (this.renderRoot.querySelector<HTMLSelectElement>(`select[name=${name}]`)?.value ?? '');
    return html`<div class="add">
      <label>Partition <select name="a" aria-label="First side">${services.map((s, i) => html`<option ?selected=${i === 0}>${s}</option>`)}</select></label>
      ⇹
      <select name="b" aria-label="Second side">
        ${services.map((s, i) => html`<option ?selected=${i === 1}>${s}</option>`)}
      </select>
      <button
        class="small"
        data-action="add-partition"
        @click=${() => {
          const [a, b] = [pick('a'), pick('b')];
          if (a && b && a !== b) this.emitSpace(withPartition(this.space, a, b));
        }}
      >
        Add partition
      </button>
    </div>`;
  }
}

define('spp-fault-space-editor', FaultSpaceEditor);

declare global {
  interface HTMLElementTagNameMap {
    'spp-fault-space-editor': FaultSpaceEditor;
  }
}
