import { css } from 'lit';
import { themeStyles } from '../views/theme.js';

/** Styles of the Explore panel: the form, the progress bar, the tallies and the small charts. */
export const explorePanelStyles = [
  themeStyles,
  css`
    :host {
      padding: 4px 2px 12px;
    }
    h2 {
      font-size: 15px;
      margin: 0;
    }
    h3 {
      font-size: 13px;
      margin: 14px 0 6px;
    }
    p {
      margin: 4px 0;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: 6px 10px;
    }
    .field {
      display: inline-flex;
      flex-direction: column;
      font-size: 12px;
      color: var(--_muted);
    }
    .field input {
      width: 8em;
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: 6px;
      padding: 3px 6px;
      color: var(--_fg);
    }
    input[aria-invalid='true'] {
      border-color: var(--_error);
      outline: 1px solid var(--_error);
    }
    button.primary {
      background: var(--_accent);
      border-color: var(--_accent);
      color: var(--spp-on-accent, #fff);
      font-weight: 600;
      padding: 3px 10px;
    }
    button:disabled {
      opacity: 0.75;
      cursor: not-allowed;
      background: var(--_surface);
      color: var(--_muted);
      border-color: var(--_border);
    }
    kbd {
      font: 11px var(--_mono);
      opacity: 0.9;
    }
    .small {
      font-size: 12px;
      padding: 1px 7px;
    }
    .err {
      color: var(--_error);
    }
    .why:empty {
      display: none;
    }
    details.space {
      margin: 8px 0;
    }
    details.space > summary {
      cursor: pointer;
      font-weight: 600;
      padding: 2px 0;
    }
    .progress {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px 10px;
      margin: 10px 0;
    }
    .so-far {
      flex: 1 1 100%;
      font-size: 0.92em;
    }
    .so-far p {
      margin: 4px 0 0;
    }
    .so-far ul {
      margin: 2px 0 0;
      padding-left: 1.2em;
    }
    .so-far .count {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    progress {
      flex: 1 1 12em;
      height: 12px;
      accent-color: var(--_accent);
    }
    .results {
      border-top: 1px solid var(--_border);
      margin-top: 8px;
      padding-top: 8px;
    }
    .summary {
      font-weight: 600;
    }
    .summary.bad {
      color: var(--_error);
    }
    .summary.ok {
      color: var(--_ok);
    }
    ul.tallies {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li.tally {
      border: 1px solid var(--_border);
      border-left: 4px solid var(--_ok);
      border-radius: 6px;
      padding: 5px 9px;
      margin-bottom: 6px;
    }
    li.tally.failed {
      border-left-color: var(--_error);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 8px;
      align-items: baseline;
    }
    .head .title {
      font-weight: 600;
      flex: 1 1 14em;
      overflow-wrap: anywhere;
    }
    .kind {
      font-size: 11.5px;
    }
    .failed .mark,
    .failed .counts strong {
      color: var(--_error);
    }
    .passed .mark {
      color: var(--_ok);
    }
    .bar {
      height: 4px;
      background: color-mix(in srgb, var(--_ok) 35%, var(--_bg));
      border-radius: 2px;
      margin: 4px 0;
      overflow: hidden;
    }
    .bar span {
      display: block;
      height: 100%;
      background: var(--_error);
    }
    .held-title {
      margin-top: 8px;
      font-weight: 600;
    }
    ul.held {
      list-style: none;
      margin: 0;
      padding: 0;
      font-size: 12px;
      columns: 2 18em;
    }
    ul.held li {
      break-inside: avoid;
      padding: 1px 0;
    }
    ul.messages {
      margin: 2px 0;
      padding-left: 1.2em;
      font-size: 12px;
      overflow-wrap: anywhere;
    }
    .count {
      font-weight: 600;
    }
    .case,
    .shrunk {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 8px;
      align-items: center;
      font-size: 12px;
      margin-top: 4px;
      overflow-wrap: anywhere;
    }
    .shrunk {
      display: block;
      border-top: 1px dashed var(--_border);
      padding-top: 4px;
    }
    .shrunk > * {
      margin: 2px 0;
    }
    .actions {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    code {
      font-family: var(--_mono);
      font-size: 11.5px;
    }
    .histograms {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
      gap: 10px;
    }
    figure.histogram {
      margin: 0;
      font-size: 11.5px;
      min-width: 0;
    }
    figcaption .h-title {
      font-weight: 600;
    }
    figure svg {
      display: block;
      width: 100%;
      height: 36px;
      margin: 3px 0 1px;
    }
    figure rect {
      fill: var(--_accent);
    }
    .h-range {
      display: flex;
      justify-content: space-between;
    }
    .link-note {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 8px;
      align-items: center;
      font-size: 12px;
    }
    .link-note input {
      flex: 1 1 16em;
      min-width: 0;
      font: 11.5px var(--_mono);
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: 6px;
      padding: 2px 4px;
      color: var(--_fg);
    }
  `,
];
