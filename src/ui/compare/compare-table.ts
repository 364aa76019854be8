import { css, html, nothing, type TemplateResult } from 'lit';
import { verdictCounts, type CompareRow, type Verdict } from './compare-rows.js';

const MARK: Record<Verdict, string> = { better: '▲ better', worse: '▼ worse', same: '', changed: '' };

/** One sentence over a table: how many figures the second variant improved and worsened. */
export function summaryOf(rows: readonly CompareRow[], labelB: string): string {
  const { better, worse } = verdictCounts(rows);
  if (better === 0 && worse === 0) return `${labelB} improves nothing and worsens nothing that this table measures.`;
  const part = (n: number, what: string) => `${what} ${n} ${n === 1 ? 'figure' : 'figures'}`;
  return `${labelB} ${[better ? part(better, 'improves') : '', worse ? part(worse, 'worsens') : ''].filter(Boolean).join(' and ')}.`;
}

/**
 * The table of a compare: one row per figure under its group heading, the
 * figure of each variant (columns A and B, named in the caption), the
 * difference, and whether it is an improvement (said in words as well as
 * colour).
 */
export function renderCompareTable(rows: readonly CompareRow[], labelA: string, labelB: string, caption: string): TemplateResult {
  const groups: Array<[string, CompareRow[]]> = [];
  for (const r of rows) {
    const last = groups.at(-1);
    if (last && last[0] === r.group) last[1].push(r);
    else groups.push([r.group, [r]]);
  }
  return html`<div class="table-wrap">
    <table class="compare">
      <caption>
        ${caption}
        <span class="legend"><span><b>A</b> ${labelA}</span><span><b>B</b> ${labelB}</span><span><b>Δ</b> B − A</span></span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col" title=${labelA}><abbr title=${labelA}>A</abbr></th>
          <th scope="col" title=${labelB}><abbr title=${labelB}>B</abbr></th>
          <th scope="col"><abbr title="difference, B − A">Δ</abbr></th>
        </tr>
      </thead>
      ${groups.map(
        ([group, list]) => html`<tbody>
          <tr class="group">
            <th scope="colgroup" colspan="4">${group}</th>
          </tr>
          ${list.map(
            (r) => html`<tr data-row=${r.key} data-verdict=${r.verdict}>
              <th scope="row">${r.label}</th>
              <td>${r.a}</td>
              <td>${r.b}</td>
              <td class="delta">${r.delta}${MARK[r.verdict] ? html` <span class="mark">${MARK[r.verdict]}</span>` : nothing}</td>
            </tr>`,
          )}
        </tbody>`,
      )}
    </table>
  </div>`;
}

/** Styles of {@link renderCompareTable} (inside an element using the views' theme). */
export const compareTableStyles = css`
  .table-wrap {
    overflow-x: auto;
  }
  table.compare {
    border-collapse: collapse;
    width: 100%;
    font-size: 12px;
  }
  table.compare caption {
    text-align: left;
    font-weight: 600;
    padding: 4px 0;
  }
  table.compare th,
  table.compare td {
    padding: 3px 6px;
    border-bottom: 1px solid var(--_border);
    text-align: right;
    vertical-align: top;
  }
  table.compare th[scope='row'] {
    text-align: left;
    font-weight: normal;
    min-width: 8em;
  }
  table.compare thead th {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  table.compare thead th:first-child {
    text-align: left;
  }
  table.compare tr.group th {
    text-align: left;
    padding-top: 8px;
    font-weight: 600;
  }
  table.compare td {
    font-family: var(--_mono);
    white-space: nowrap;
  }
  /* How a run ended can be a sentence: it may wrap, numbers may not. */
  tr[data-row='status'] td {
    white-space: normal;
    overflow-wrap: anywhere;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 2px 14px;
    font-weight: normal;
    color: var(--_muted);
    margin-top: 2px;
  }
  .legend b {
    color: var(--_fg);
  }
  abbr {
    text-decoration: none;
  }
  tr[data-verdict='better'] td.delta {
    color: var(--_ok);
    font-weight: 600;
  }
  tr[data-verdict='worse'] td.delta {
    color: var(--_error);
    font-weight: 600;
  }
  tr[data-verdict='better'] {
    background: color-mix(in srgb, var(--_ok) 8%, transparent);
  }
  tr[data-verdict='worse'] {
    background: color-mix(in srgb, var(--_error) 8%, transparent);
  }
  .mark {
    font-family: system-ui, sans-serif;
    font-size: 11px;
    white-space: nowrap;
  }
`;
