import { css, html, svg, type PropertyValues } from 'lit';
import { themeStyles } from './theme.js';
import { distinctTimes, formatTime, prefixLength } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define, emit } from './view-events.js';

const icon = (d: string) => html`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">${svg`<path d=${d}></path>`}</svg>`;
const ICONS = {
  back: icon('M3 3h2v10H3z M13 3v10L6 8z'),
  forward: icon('M11 3h2v10h-2z M3 3v10l7-5z'),
  play: icon('M4 2.5v11l9.5-5.5z'),
  pause: icon('M4 3h3v10H4z M9 3h3v10H9z'),
};

/** Playback speeds, in event steps per real second. */
const RATES = [1, 4, 10, 30, 100];

/**
 * `<spp-time-scrubber>`: moves the views through virtual time. Step back and
 * forward event by event (distinct event times), drag the slider to any
 * time, or play (one step every 1/rate real seconds). Keyboard: Space
 * play/pause, ←/→ step, Home/End first/last.
 *
 * Properties: `events`, `time` (current position, ms; `Infinity` = the end),
 * `rate` (steps per second while playing, default 4).
 * Events: `time-change` `{ time }` whenever the user moves it.
 *
 * @example
 * <spp-time-scrubber .events=${trace} .time=${t} @time-change=${(e) => (this.time = e.detail.time)}></spp-time-scrubber>
 */
export class SppTimeScrubber extends TraceView {
  static override properties = {
    rate: { type: Number },
    playing: { type: Boolean, reflect: true },
  };

  declare rate: number;
  /** True while playing back. */
  declare playing: boolean;

  private stops: number[] = [];
  private frame = 0;
  private last = 0;
  private carry = 0;

  constructor() {
    super();
    this.rate = 4;
    this.playing = false;
    this.addEventListener('keydown', this.onKey);
  }

  static override styles = [
    themeStyles,
    css`
      :host {
        padding: 2px 0;
      }
      .row {
        display: flex;
        align-items: center;
        gap: 6px;
        flex-wrap: wrap;
      }
      button {
        min-width: 2.2em;
        height: 26px;
        display: inline-flex;
        align-items: center;
        justify-content: center;
      }
      button svg {
        fill: currentColor;
      }
      input[type='range'] {
        flex: 1;
        min-width: 120px;
        accent-color: var(--_accent);
      }
      .readout {
        font: 12px var(--_mono);
        min-width: 17em;
        text-align: right;
        color: var(--_muted);
      }
      .readout b {
        color: var(--_fg);
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.pause();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('events') || !this.hasUpdated) this.stops = distinctTimes(this.events);
    if (changed.has('events') && this.playing && this.stops.length === 0) this.pause();
  }

  private get end(): number {
    return this.stops.length ? this.stops[this.stops.length - 1]! : 0;
  }

  /** The current position, clamped to the trace. */
  private get current(): number {
    return Number.isFinite(this.time) ? Math.min(this.time, this.end) : this.end;
  }

  private go(time: number): void {
    if (time === this.time) return;
    this.time = time;
    emit(this, 'time-change', { time });
  }

  /** Moves to the next distinct event time; returns false at the end. */
  stepForward(): boolean {
    const i = countAtMost(this.stops, this.current);
    if (i >= this.stops.length) return false;
    this.go(this.stops[i]!);
    return true;
  }

  /** Moves to the previous distinct event time. */
  stepBack(): void {
    const i = countAtMost(this.stops, this.current) - 2;
    if (i >= 0) this.go(this.stops[i]!);
    else if (this.stops.length) this.go(this.stops[0]! - 1);
  }

  /** Starts playback (from the start when at the end). */
  play(): void {
    if (this.playing || this.stops.length === 0) return;
    if (this.current >= this.end) this.go(this.stops[0]! - 1);
    this.playing = true;
    this.last = performance.now();
    this.carry = 0;
    const tick = (now: number) => {
      if (!this.playing) return;
      this.carry += ((now - this.last) / 1000) * this.rate;
      this.last = now;
      while (this.carry >= 1) {
        this.carry -= 1;
        if (!this.stepForward()) {
          this.pause();
          return;
        }
      }
      this.frame = requestAnimationFrame(tick);
    };
    // First step right away so play feels immediate.
    if (!this.stepForward()) {
      this.pause();
      return;
    }
    this.frame = requestAnimationFrame(tick);
  }

  /** Stops playback. */
  pause(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
  }

  private toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  private onKey = (e: KeyboardEvent): void => {
    const target = e.composedPath()[0] as HTMLElement | undefined;
    if (target?.tagName === 'SELECT') return;
    switch (e.key) {
      case ' ':
        this.toggle();
        break;
      case 'ArrowRight':
        this.pause();
        this.stepForward();
        break;
      case 'ArrowLeft':
        this.pause();
        this.stepBack();
        break;
      case 'Home':
        this.pause();
        if (this.stops.length) this.go(this.stops[0]!);
        break;
      case 'End':
        this.pause();
        this.go(this.end);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  protected override render() {
    const t = this.current;
    const shown = prefixLength(this.events, t);
    const total = this.events.length;
    const disabled = total === 0;
    return html`
      <div class="row" role="group" aria-label="Time scrubber (Space play/pause, ←/→ step)">
        <button title="Step back (←)" aria-label="Step back" ?disabled=${disabled} @click=${() => (this.pause(), this.stepBack())}>${ICONS.back}</button>
        <button
          title=${this.playing ? 'Pause (Space)' : 'Play (Space)'}
          aria-label=${this.playing ? 'Pause' : 'Play'}
          aria-pressed=${this.playing ? 'true' : 'false'}
          ?disabled=${disabled}
          @click=${() => this.toggle()}
        >
          ${this.playing ? ICONS.pause : ICONS.play}
        </button>
        <button title="Step forward (→)" aria-label="Step forward" ?disabled=${disabled} @click=${() => (this.pause(), this.stepForward())}>${ICONS.forward}</button>
        <input
          type="range"
          min=${Math.min(0, this.stops[0] ?? 0)}
          max=${this.end}
          step="any"
          .value=${String(Math.max(t, Math.min(0, this.stops[0] ?? 0)))}
          aria-label="Virtual time"
          aria-valuetext="${formatTime(t)}, ${shown} of ${total} events"
          ?disabled=${disabled}
          @input=${(e: Event) => (this.pause(), this.go(Number((e.target as HTMLInputElement).value)))}
        />
        <label class="muted"
          >speed
          <select aria-label="Playback speed (steps per second)" @change=${(e: Event) => (this.rate = Number((e.target as HTMLSelectElement).value))}>
            ${RATES.map((r) => html`<option value=${r} ?selected=${r === this.rate}>${r}/s</option>`)}
          </select>
        </label>
        <span class="readout" aria-live="polite"><b>t = ${formatTime(Math.max(0, t))}</b> · ${shown}/${total} events</span>
      </div>
    `;
  }
}

/** Number of sorted `values` that are ≤ `t`. */
function countAtMost(values: readonly number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

define('spp-time-scrubber', SppTimeScrubber);

declare global {
  interface HTMLElementTagNameMap {
    'spp-time-scrubber': SppTimeScrubber;
  }
}
