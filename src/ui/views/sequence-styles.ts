import { css } from 'lit';

/** Styles of `<spp-sequence-diagram>` (after the shared theme and event styles). */
export const sequenceDiagramStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 420px;
    min-height: 160px;
  }
  .scroller {
    position: relative;
    flex: 1;
    min-height: 0;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_bg);
  }
  svg {
    display: block;
  }
  svg.head {
    position: sticky;
    top: 0;
    z-index: 1;
    background: var(--_bg);
  }
  .lifeline-box {
    fill: var(--_surface);
    stroke: var(--_border);
  }
  .lifeline-box.queue,
  .lifeline-box.exchange {
    stroke: var(--_accent);
    stroke-dasharray: 4 2;
  }
  .lifeline-name {
    fill: var(--_fg);
    font-weight: 600;
    font-size: 12px;
  }
  .lifeline {
    stroke: var(--_border);
    stroke-dasharray: 3 3;
  }
  .row {
    cursor: pointer;
  }
  .row .hit {
    fill: transparent;
  }
  .row:hover .hit {
    fill: color-mix(in srgb, var(--_accent) 8%, transparent);
  }
  .row.selected .hit,
  .row.active .hit {
    fill: color-mix(in srgb, var(--_accent) 16%, transparent);
  }
  .row.active .hit {
    stroke: var(--_accent);
    stroke-width: 1.5;
  }
  .row.s-compensation .hit {
    fill: color-mix(in srgb, var(--_comp) 12%, transparent);
  }
  .gutter {
    fill: var(--_bg);
    opacity: 0.92;
  }
  .hint {
    fill: var(--c, var(--_muted));
    opacity: 0.75;
    font: italic 10.5px var(--_mono);
  }
  .s-breaker .note-box {
    stroke-width: 2;
  }
  .s-breaker .label {
    font-weight: 700;
  }
  .time {
    fill: var(--_muted);
    font: 10px var(--_mono);
  }
  .line {
    stroke: var(--c, var(--_fg));
    stroke-width: var(--w, 1.5);
    stroke-dasharray: var(--dash, none);
    fill: none;
  }
  .head-fill {
    fill: var(--c, var(--_fg));
  }
  .head-open {
    stroke: var(--c, var(--_fg));
    stroke-width: 1.5;
    fill: none;
  }
  .label {
    fill: var(--c, var(--_fg));
    font: 11px var(--_mono);
  }
  .s-response .label,
  .s-request .label {
    fill: var(--_fg);
  }
  .note-box {
    fill: color-mix(in srgb, var(--c, var(--_muted)) 10%, var(--_bg));
    stroke: var(--c, var(--_muted));
    stroke-width: 1;
  }
  .fold-text {
    fill: var(--_accent);
    font: 11px var(--_mono);
  }
  .fold-band {
    fill: color-mix(in srgb, var(--_accent) 6%, transparent);
    stroke: var(--_accent);
    stroke-dasharray: 2 2;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 10px;
    font-size: 11px;
  }
  .legend span::before {
    content: '';
    display: inline-block;
    width: 14px;
    height: 0;
    border-top: 2px solid var(--c);
    vertical-align: middle;
    margin-right: 4px;
  }
  .legend .dashed::before {
    border-top-style: dashed;
  }
`;
