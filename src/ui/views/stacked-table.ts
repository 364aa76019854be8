import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * Styles for tables that stack rather than scroll sideways in a narrow box.
 *
 * Put the table in an element of class `stack`. Below `below` px of that
 * element's width, each row puts its first cell (what the row is about: a
 * route, a queue, a service) on a line of its own and its other cells in
 * `--cols` equal columns under it. The header row is laid out the same way,
 * so each figure or field stays under its heading (the first heading is then
 * only read out). Set `--cols` on each table: the number of its other
 * columns, or fewer for a narrower box (the cells then wrap onto more lines).
 * Headings wrap between words only: give a column room for its longest word.
 * `border` draws the line between rows. Give the table, its rows and cells
 * their roles explicitly: some browsers drop a table's semantics once its
 * rows are grids. Put these styles after the component's own: they override
 * its cell rules (borders, `white-space`) of the same specificity.
 *
 * @example
 * static styles = [css`table.routes { --cols: 7 } th, td { white-space: nowrap }`, stackedTable(720, 'var(--_border)')];
 */
export function stackedTable(below: number, border: string): CSSResult {
  return css`
    .stack {
      container: spp-stack / inline-size;
    }
    @container spp-stack (max-width: ${unsafeCSS(String(below - 0.02))}px) {
      table,
      thead,
      tbody,
      caption {
        display: block;
      }
      tr {
        display: grid;
        grid-template-columns: repeat(var(--cols, 4), minmax(0, 1fr));
        border-bottom: 1px solid ${unsafeCSS(border)};
      }
      th,
      td {
        border-bottom: none;
        white-space: normal;
      }
      tr > :first-child {
        grid-column: 1 / -1;
        text-align: left;
        overflow-wrap: break-word;
      }
      thead tr > :first-child {
        position: absolute;
        width: 1px;
        height: 1px;
        padding: 0;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    }
  `;
}
