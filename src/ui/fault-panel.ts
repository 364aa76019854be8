import { LitElement, css, html, nothing } from 'lit';
import type { FaultPlan, ServiceFaults, QueueFaults, Partition } from '../sim/faults.js';
import { emitControl } from './control-events.js';
import { stackedTable } from './views/stacked-table.js';

type ServiceField = 'latency' | 'errorRate' | 'errorStatus' | 'downFrom' | 'downTo';
type QueueField = 'duplicateRate' | 'dropRate' | 'delay' | 'crashBeforeAckRate';

const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

/**
 * Edits the fault plan as a form: per service latency, error rate and a down
 * window; partitions between two services; per queue duplicates, drops, delay
 * and crashes before ack. Values out of range are flagged where they are typed
 * and the plan is not changed until the form is valid again.
 *
 * Event (typed in control-events.ts): `faults-change` {plan}.
 */
export class FaultPanel extends LitElement {
  static override properties = {
    plan: { attribute: false },
    services: { attribute: false },
    queues: { attribute: false },
    ran: { attribute: false },
    earlier: { attribute: false },
    errors: { state: true },
  };
  declare plan: FaultPlan;
  /** Services to offer (from the last run). */
  declare services: string[];
  /** Queues to offer (from the last run). */
  declare queues: string[];
  /** Whether the code has run (and `services` and `queues` come from that run). */
  declare ran: boolean;
  /**
   * Services and queues that earlier runs of this example had and the last one did not (a partition or
   * an outage can keep a run from reaching them): still offered, marked as not called (not used) in the last run.
   */
  declare earlier: { services: readonly string[]; queues: readonly string[] };
  private declare errors: Record<string, string>;

  constructor() {
    super();
    this.plan = {};
    this.services = [];
    this.queues = [];
    this.ran = false;
    this.earlier = { services: [], queues: [] };
    this.errors = {};
  }

  static override styles = [
    css`
      :host {
        display: block;
        font-size: 0.85rem;
      }
      table {
        border-collapse: collapse;
        width: 100%;
      }
      /* Should a table still be too wide (a very narrow box), it scrolls sideways inside the panel, not the page. */
      .scroll {
        overflow-x: auto;
        max-width: 100%;
      }
      th,
      td {
        text-align: left;
        padding: 0.2rem 0.3rem;
        border-bottom: 1px solid var(--spp-border, #ddd);
      }
      th {
        font-weight: 600;
        color: var(--spp-muted, #667);
        font-size: 0.75rem;
      }
      input {
        width: 4.6rem;
        font: inherit;
        padding: 0.1rem 0.25rem;
        background: var(--spp-bg, #fff);
        color: var(--spp-fg, #222);
        border: 1px solid var(--spp-border, #ccc);
        border-radius: 4px;
      }
      input[aria-invalid='true'] {
        border-color: var(--spp-error, #c22);
        outline: 1px solid var(--spp-error, #c22);
      }
      select {
        font: inherit;
        background: var(--spp-bg, #fff);
        color: var(--spp-fg, #222);
      }
      .err {
        color: var(--spp-error, #c22);
        font-size: 0.78rem;
      }
      h3 {
        font-size: 0.85rem;
        margin: 0.8rem 0 0.3rem;
      }
      button {
        font: inherit;
        font-size: 0.8rem;
        padding: 0.15rem 0.5rem;
        border-radius: 5px;
        border: 1px solid var(--spp-border, #ccc);
        background: var(--spp-bg, #fff);
        color: var(--spp-fg, #222);
        cursor: pointer;
      }
      .muted {
        color: var(--spp-muted, #667);
      }
      tbody th {
        font-weight: normal;
        color: inherit;
        font-size: inherit;
      }
      .absent {
        display: block;
        font-size: 0.75rem;
      }
      table.services {
        --cols: 5;
      }
      table.queues {
        --cols: 4;
      }
      @container spp-stack (max-width: 299.98px) {
        table.services {
          --cols: 3;
        }
        table.queues {
          --cols: 2;
        }
      }
      @container spp-stack (max-width: 619.98px) {
        td input {
          width: 100%;
          box-sizing: border-box;
        }
      }
    `,
    // Five fields beside a service's name need about 600 px, more than the views column has at 1280 px:
    // below that each service (and queue) gets a line of its own, its fields under their headings.
    stackedTable(620, 'var(--spp-border, #ddd)'),
  ];

  private emitPlan(plan: FaultPlan) {
    emitControl(this, 'faults-change', { plan });
  }

  private setError(key: string, message: string | undefined): boolean {
    const next = { ...this.errors };
    if (message) next[key] = message;
    else delete next[key];
    this.errors = next;
    return !message;
  }

  private clone(): FaultPlan {
    return JSON.parse(JSON.stringify(this.plan ?? {})) as FaultPlan;
  }

  private onService(name: string, field: ServiceField, raw: string) {
    const key = `s:${name}:${field}`;
    const v = num(raw);
    let problem: string | undefined;
    if (v !== undefined && !Number.isFinite(v)) problem = 'not a number';
    else if (v !== undefined && v < 0) problem = 'must not be negative';
    else if (field === 'errorRate' && v !== undefined && v > 100) problem = 'at most 100 %';
    else if (field === 'errorStatus' && v !== undefined && (!Number.isInteger(v) || v < 400 || v > 599)) problem = 'an HTTP error status, 400–599';
    if (!this.setError(key, problem)) return;
    const plan = this.clone();
    const services = (plan.services ??= {});
    const f: ServiceFaults = (services[name] ??= {});
    if (field === 'latency') {
      if (v === undefined || v === 0) delete f.latency;
      else f.latency = { kind: 'fixed', ms: v };
    } else if (field === 'errorRate') {
      if (v === undefined || v === 0) delete f.errorRate;
      else f.errorRate = v / 100;
    } else if (field === 'errorStatus') {
      if (v === undefined) delete f.errorStatus;
      else f.errorStatus = v;
    } else {
      const w = f.down?.[0] ?? { from: 0, to: 0 };
      const next = { ...w, [field === 'downFrom' ? 'from' : 'to']: v === undefined ? undefined : v * 1000 };
      if (next.from === undefined || next.to === undefined || (next.from === 0 && next.to === 0)) delete f.down;
      else if (next.to <= next.from) {
        this.setError(`s:${name}:down`, 'the window must end after it starts');
        f.down = [{ from: next.from, to: next.to }];
        return;
      } else f.down = [{ from: next.from, to: next.to }];
      this.setError(`s:${name}:down`, undefined);
    }
    if (Object.keys(f).length === 0) delete services[name];
    if (Object.keys(services).length === 0) delete plan.services;
    this.emitPlan(plan);
  }

  private onQueue(name: string, field: QueueField, raw: string) {
    const key = `q:${name}:${field}`;
    const v = num(raw);
    let problem: string | undefined;
    if (v !== undefined && !Number.isFinite(v)) problem = 'not a number';
    else if (v !== undefined && v < 0) problem = 'must not be negative';
    else if (field !== 'delay' && v !== undefined && v > 100) problem = 'at most 100 %';
    if (!this.setError(key, problem)) return;
    const plan = this.clone();
    const queues = (plan.queues ??= {});
    const q: QueueFaults = (queues[name] ??= {});
    if (v === undefined || v === 0) delete q[field];
    else if (field === 'delay') q.delay = { kind: 'fixed', ms: v };
    else q[field] = v / 100;
    if (Object.keys(q).length === 0) delete queues[name];
    if (Object.keys(queues).length === 0) delete plan.queues;
    this.emitPlan(plan);
  }

  private addPartition() {
    const [a, b] = this.services;
    if (!a || !b) return;
    const plan = this.clone();
    (plan.partitions ??= []).push({ a, b, from: 0, to: 5000 });
    this.emitPlan(plan);
  }

  private editPartition(i: number, patch: Partial<Partition>) {
    const plan = this.clone();
    const p = { ...plan.partitions![i]!, ...patch };
    const key = `p:${i}`;
    if (p.a === p.b) return void this.setError(key, 'pick two different services');
    if (p.to !== undefined && p.to <= (p.from ?? 0)) return void this.setError(key, 'the window must end after it starts');
    this.setError(key, undefined);
    plan.partitions![i] = p;
    this.emitPlan(plan);
  }

  private removePartition(i: number) {
    const plan = this.clone();
    plan.partitions!.splice(i, 1);
    if (plan.partitions!.length === 0) delete plan.partitions;
    this.setError(`p:${i}`, undefined);
    this.emitPlan(plan);
  }

  private input(label: string, value: number | undefined, key: string, onChange: (raw: string) => void) {
    const error = this.errors[key];
    return html`<input
      type="number"
      min="0"
      step="any"
      aria-label=${label}
      aria-invalid=${error ? 'true' : 'false'}
      title=${error ?? label}
      .value=${value === undefined ? '' : String(value)}
      @change=${(e: Event) => onChange((e.target as HTMLInputElement).value)}
    />`;
  }

  override render() {
    const plan = this.plan ?? {};
    const names = [...new Set([...this.services, ...this.earlier.services, ...Object.keys(plan.services ?? {})])].filter((s) => s !== 'client');
    const queues = [...new Set([...this.queues, ...this.earlier.queues, ...Object.keys(plan.queues ?? {})])];
    // Only what an earlier run had is marked: a name the plan alone brings (a service that only consumes
    // messages, say) may well have run without being called.
    const absent = (name: string, earlier: readonly string[], what: string) => (earlier.includes(name) ? html` <span class="absent muted">${what} in the last run</span>` : nothing);
    const errs = Object.values(this.errors);
    return html`
      ${errs.length ? html`<p class="err" role="alert">Not applied: ${errs.join('; ')}.</p>` : null}
      <h3>Services</h3>
      ${names.length === 0
        ? html`<p class="muted">${this.ran
            ? 'The last run made no HTTP calls, so there are no services to list. For faults on messages, see the queues below.'
            : 'Run the code once to list its services here.'}</p>`
        : html`<div class="scroll stack"><table class="services" role="table">
            <thead role="rowgroup">
              <tr role="row">
                <th role="columnheader">Service</th>
                <th role="columnheader">Extra latency (ms)</th>
                <th role="columnheader">Error rate (%)</th>
                <th role="columnheader">Status</th>
                <th role="columnheader">Down from (s)</th>
                <th role="columnheader">to (s)</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              ${names.map((name) => {
                const f = plan.services?.[name] ?? {};
                const lat = f.latency?.kind === 'fixed' ? f.latency.ms : undefined;
                const down = f.down?.[0];
                return html`<tr role="row" data-service=${name}>
                  <th scope="row" role="rowheader">${name}${absent(name, this.earlier.services, 'not called')}</th>
                  <td role="cell">${this.input(`${name} extra latency in ms`, lat, `s:${name}:latency`, (v) => this.onService(name, 'latency', v))}</td>
                  <td role="cell">${this.input(`${name} error rate in percent`, f.errorRate === undefined ? undefined : Math.round(f.errorRate * 1000) / 10, `s:${name}:errorRate`, (v) => this.onService(name, 'errorRate', v))}</td>
                  <td role="cell">${this.input(`${name} injected error status`, f.errorStatus, `s:${name}:errorStatus`, (v) => this.onService(name, 'errorStatus', v))}</td>
                  <td role="cell">${this.input(`${name} down from, seconds`, down ? down.from / 1000 : undefined, `s:${name}:downFrom`, (v) => this.onService(name, 'downFrom', v))}</td>
                  <td role="cell">${this.input(`${name} down until, seconds`, down ? down.to / 1000 : undefined, `s:${name}:downTo`, (v) => this.onService(name, 'downTo', v))}</td>
                </tr>`;
              })}
            </tbody>
          </table></div>`}
      <h3>Partitions</h3>
      ${(plan.partitions ?? []).map(
        (p, i) => html`<div class="partition">
          <select aria-label="First side" @change=${(e: Event) => this.editPartition(i, { a: (e.target as HTMLSelectElement).value })}>
            ${names.map((n) => html`<option ?selected=${n === p.a}>${n}</option>`)}
          </select>
          ⇹
          <select aria-label="Second side" @change=${(e: Event) => this.editPartition(i, { b: (e.target as HTMLSelectElement).value })}>
            ${names.map((n) => html`<option ?selected=${n === p.b}>${n}</option>`)}
          </select>
          from ${this.input('partition start, seconds', (p.from ?? 0) / 1000, `p:${i}`, (v) => this.editPartition(i, { from: (num(v) ?? 0) * 1000 }))} s to
          ${this.input('partition end, seconds', p.to === undefined ? undefined : p.to / 1000, `p:${i}`, (v) => {
            const n = num(v);
            const patch: Partial<Partition> = n === undefined ? {} : { to: n * 1000 };
            this.editPartition(i, patch);
          })}
          s <button @click=${() => this.removePartition(i)} aria-label="Remove partition">Remove</button>
        </div>`,
      )}
      <button ?disabled=${names.length < 2} @click=${() => this.addPartition()}>Add partition</button>
      <h3>Queues</h3>
      ${queues.length === 0
        ? html`<p class="muted">No queues in the last run.</p>`
        : html`<div class="scroll stack"><table class="queues" role="table">
            <thead role="rowgroup">
              <tr role="row">
                <th role="columnheader">Queue</th>
                <th role="columnheader">Duplicate (%)</th>
                <th role="columnheader">Drop (%)</th>
                <th role="columnheader">Delay (ms)</th>
                <th role="columnheader">Crash before ack (%)</th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              ${queues.map((name) => {
                const q = plan.queues?.[name] ?? {};
                const pct = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 1000) / 10);
                return html`<tr role="row" data-queue=${name}>
                  <th scope="row" role="rowheader">${name}${absent(name, this.earlier.queues, 'not used')}</th>
                  <td role="cell">${this.input(`${name} duplicate deliveries, percent`, pct(q.duplicateRate), `q:${name}:duplicateRate`, (v) => this.onQueue(name, 'duplicateRate', v))}</td>
                  <td role="cell">${this.input(`${name} dropped messages, percent`, pct(q.dropRate), `q:${name}:dropRate`, (v) => this.onQueue(name, 'dropRate', v))}</td>
                  <td role="cell">${this.input(`${name} extra delay in ms`, q.delay?.kind === 'fixed' ? q.delay.ms : undefined, `q:${name}:delay`, (v) => this.onQueue(name, 'delay', v))}</td>
                  <td role="cell">${this.input(`${name} consumer crash before ack, percent`, pct(q.crashBeforeAckRate), `q:${name}:crashBeforeAckRate`, (v) => this.onQueue(name, 'crashBeforeAckRate', v))}</td>
                </tr>`;
              })}
            </tbody>
          </table></div>`}
    `;
  }
}
customElements.define('spp-fault-panel', FaultPanel);
declare global {
  interface HTMLElementTagNameMap {
    'spp-fault-panel': FaultPanel;
  }
}
