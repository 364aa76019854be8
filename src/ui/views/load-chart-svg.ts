import { svg, type SVGTemplateResult } from 'lit';

/** One line of a chart: a value per second (undefined: no value, a gap). */
export interface ChartLine {
  /** CSS class that gives its colour and dash (`l-sent`, `l-p99`…). */
  cls: string;
  values: readonly (number | undefined)[];
  /** Fill the area under it too. */
  area?: boolean;
}

/** What one small chart draws. */
export interface ChartSpec {
  width: number;
  height: number;
  /** Seconds on the x axis. */
  span: number;
  /** Top of the y axis (0 is the bottom). */
  yMax: number;
  yLabel: (v: number) => string;
  lines: readonly ChartLine[];
  /** Scrub time (ms) to mark with a line, if finite. */
  cursor: number;
  /** Draw the seconds under the chart. */
  xLabels: boolean;
}

const LEFT = 44;
const RIGHT = 8;
const TOP = 6;

/** Bottom margin of a chart: room for the seconds when they are drawn. */
export const bottomMargin = (xLabels: boolean) => (xLabels ? 18 : 6);

/**
 * A round number at or above `max` for the top of a y axis (1, 2, 2.5 or 5
 * times a power of ten), so the grid lines fall on readable values.
 *
 * @example
 * niceMax(37); // 40
 */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 4, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * Draws one small line chart as SVG: grid lines at 0, ½ and the top, a
 * polyline per series through the middle of each second (broken where a
 * second has no value), the seconds below when asked, and the scrub time.
 */
export function lineChart(spec: ChartSpec): SVGTemplateResult {
  const { width, height, span, yMax } = spec;
  const bottom = bottomMargin(spec.xLabels);
  const plotW = Math.max(10, width - LEFT - RIGHT);
  const plotH = Math.max(10, height - TOP - bottom);
  const x = (s: number) => LEFT + (s / span) * plotW;
  const y = (v: number) => TOP + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const grid = [0, yMax / 2, yMax];
  const step = span <= 12 ? 1 : span <= 30 ? 5 : span <= 120 ? 10 : 60;
  const ticks: number[] = [];
  for (let s = 0; s <= span; s += step) ticks.push(s);
  const cursor = Number.isFinite(spec.cursor) ? Math.min(span, Math.max(0, spec.cursor / 1000)) : undefined;
  return svg`
    ${grid.map((g) => svg`<line class="grid" x1=${LEFT} x2=${LEFT + plotW} y1=${y(g)} y2=${y(g)}></line><text class="ylab" x=${LEFT - 4} y=${y(g) + 3.5}>${spec.yLabel(g)}</text>`)}
    ${spec.xLabels ? ticks.map((s) => svg`<text class="xlab" x=${x(s)} y=${height - 4}>${s} s</text>`) : null}
    ${spec.lines.map((line) => {
      const segments = segmentsOf(line.values);
      return svg`<g class="line ${line.cls}">
        ${segments.map((seg) => {
          const pts = seg.map(([s, v]) => `${x(s + 0.5).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
          const area = line.area ? svg`<polygon class="area" points="${x(seg[0]![0] + 0.5).toFixed(1)},${y(0)} ${pts} ${x(seg[seg.length - 1]![0] + 0.5).toFixed(1)},${y(0)}"></polygon>` : null;
          return seg.length === 1
            ? svg`<circle cx=${x(seg[0]![0] + 0.5)} cy=${y(seg[0]![1])} r="2"></circle>`
            : svg`${area}<polyline points=${pts}></polyline>`;
        })}
      </g>`;
    })}
    ${cursor !== undefined ? svg`<line class="cursor" x1=${x(cursor)} x2=${x(cursor)} y1=${TOP} y2=${TOP + plotH}></line>` : null}
  `;
}

/** Runs of consecutive seconds that have a value. */
function segmentsOf(values: readonly (number | undefined)[]): [number, number][][] {
  const out: [number, number][][] = [];
  let run: [number, number][] = [];
  values.forEach((v, s) => {
    if (v === undefined || !Number.isFinite(v)) {
      if (run.length) out.push(run);
      run = [];
    } else run.push([s, v]);
  });
  if (run.length) out.push(run);
  return out;
}
