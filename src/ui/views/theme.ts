import { css } from 'lit';

/**
 * Shared styles of the trace views. Every colour is a CSS custom property
 * with a light-theme fallback, so the owning element switches themes by
 * setting them, e.g. `--spp-bg: #0d1117; --spp-fg: #e6edf3`.
 *
 * Properties: `--spp-bg`, `--spp-fg`, `--spp-muted`, `--spp-accent`,
 * `--spp-ok`, `--spp-warn`, `--spp-error`, `--spp-border`, `--spp-font-mono`,
 * `--spp-on-status` (text on a fill of ok, warn or error), and the optional
 * `--spp-retry`, `--spp-compensation`, `--spp-surface`.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--spp-bg, #ffffff);
    --_fg: var(--spp-fg, #1f2328);
    --_muted: var(--spp-muted, #656d76);
    --_accent: var(--spp-accent, #0969da);
    --_ok: var(--spp-ok, #1a7f37);
    --_warn: var(--spp-warn, #9a6700);
    --_error: var(--spp-error, #cf222e);
    --_border: var(--spp-border, #d0d7de);
    --_on: var(--spp-on-status, #ffffff);
    --_mono: var(--spp-font-mono, ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace);
    --_retry: var(--spp-retry, #8250df);
    --_comp: var(--spp-compensation, #bc4c00);
    --_surface: var(--spp-surface, color-mix(in srgb, var(--_fg) 4%, var(--_bg)));
    display: block;
    box-sizing: border-box;
    min-width: 0;
    max-width: 100%;
    color: var(--_fg);
    background: var(--_bg);
    font: 13px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  button {
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 2px 8px;
    cursor: pointer;
  }
  button:hover {
    border-color: var(--_muted);
  }
  /* An option switched off: dashed and muted, but still readable (a faded button fails contrast). */
  button[aria-pressed='false'] {
    color: var(--_muted);
    border-style: dashed;
    background: var(--_bg);
  }
  input[type='search'],
  input[type='text'],
  select {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 2px 6px;
  }
  .mono {
    font-family: var(--_mono);
  }
  .muted {
    color: var(--_muted);
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    padding: 4px 0 6px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .empty {
    color: var(--_muted);
    padding: 12px;
    font-style: italic;
  }
`;

/**
 * Stroke and fill of each event style (class `s-<style>` on an SVG group),
 * used by the sequence diagram and the checks panel.
 */
export const eventStyleRules = css`
  .s-request { --c: var(--_fg); }
  .s-response { --c: var(--_muted); --dash: 5 3; }
  .s-error { --c: var(--_error); --dash: 5 3; }
  .s-timeout { --c: var(--_warn); --dash: 2 3; }
  .s-refused { --c: var(--_error); --dash: 2 3; }
  .s-canceled { --c: var(--_muted); --dash: 2 3; }
  .s-late { --c: var(--_muted); --dash: 1 4; }
  .s-fault { --c: var(--_error); --dash: 6 2 1 2; }
  .s-message { --c: var(--_accent); }
  .s-deliver { --c: var(--_accent); }
  .s-redeliver { --c: var(--_accent); --dash: 6 3; }
  .s-ack { --c: var(--_ok); --dash: 5 3; }
  .s-nack { --c: var(--_warn); --dash: 5 3; }
  .s-dead-letter { --c: var(--_error); --w: 2.5; }
  .s-retry { --c: var(--_retry); }
  .s-compensation { --c: var(--_comp); --w: 2.5; --dash: 8 3; }
  .s-saga { --c: var(--_comp); }
  .s-breaker { --c: var(--_warn); --w: 2; }
  .s-fallback { --c: var(--_retry); --dash: 5 3; }
  .s-state { --c: var(--_muted); }
  .s-status { --c: var(--_ok); }
  .s-log { --c: var(--_muted); }
  .s-warn { --c: var(--_warn); }
  .s-generic { --c: var(--_muted); }
`;
