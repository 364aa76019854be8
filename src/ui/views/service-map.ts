import { css, html, nothing, svg, type PropertyValues, type SVGTemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { PARTY_MARK, partyName } from './parties.js';
import { EDGE_CHAR_PX, labelFigures, nameLines, roundedPath, serviceMap, type MapEdge, type MapNode, type MeasureName, type ServiceMap } from './service-map-model.js';
import { spreadLabels } from './label-spread.js';
import { ResizeController } from './resize-controller.js';
import { themeStyles } from './theme.js';
import { truncate } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define } from './view-events.js';


/**
 * `<spp-service-map>`: services, the client, exchanges and queues as boxes
 * with the calls and messages between them so far (SVG). Queues show their
 * depth at `time`, services their breakers' state and whether they are down.
 * Boxes never move while scrubbing.
 *
 * Properties: `events`, `time` (scrub position, ms; default all).
 *
 * @example
 * <spp-service-map .events=${trace} .time=${t}></spp-service-map>
 */
export class SppServiceMap extends TraceView {
  static override properties = {
    _boxWidth: { state: true },
  };

  declare private _boxWidth: number;
  private model: ServiceMap | undefined;

  constructor() {
    super();
    this._boxWidth = 0;
    // Lay out again when the box changes width by more than a few pixels. In the next frame: a new
    // layout changes the map's height, and changing it from within the observer's callback would leave
    // that change unreported in this frame (the browser's "ResizeObserver loop" error).
    let frame = 0;
    new ResizeController(this, {
      onResize: () => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => {
          const w = Math.floor(this.clientWidth);
          if (Math.abs(w - this._boxWidth) > 8) this._boxWidth = w;
        });
      },
    });
  }

  static override styles = [
    themeStyles,
    css`
      .wrap {
        overflow-x: auto;
      }
      .scroll-hint {
        margin: 0 0 0.3rem;
        font-size: 0.8rem;
        color: var(--_muted);
      }
      svg {
        display: block;
        width: 100%;
        height: auto;
      }
      .node rect.box {
        fill: var(--_surface);
        stroke: var(--_border);
        stroke-width: 1.5;
      }
      .node.exchange rect.box,
      .node.queue rect.box {
        stroke: var(--_accent);
      }
      .node.exchange rect.box {
        stroke-dasharray: 5 3;
      }
      .node.down rect.box {
        stroke: var(--_error);
        stroke-width: 2.5;
        fill: color-mix(in srgb, var(--_error) 8%, var(--_bg));
      }
      .name {
        font-weight: 600;
        font-size: 12.5px;
        fill: var(--_fg);
      }
      .info {
        font: 10.5px var(--_mono);
        fill: var(--_muted);
      }
      .info.bad {
        fill: var(--_error);
        font-weight: 600;
      }
      .badge rect {
        stroke: none;
      }
      .badge text {
        font: 600 10px var(--_mono);
        fill: var(--_on);
      }
      .badge.closed rect {
        fill: var(--_ok);
      }
      .badge.open rect {
        fill: var(--_error);
      }
      .badge.half-open rect {
        fill: var(--_warn);
      }
      .badge.isolated rect {
        fill: var(--_muted);
      }
      .depth-bg {
        fill: var(--_bg);
        stroke: var(--_border);
      }
      .depth-ready {
        fill: var(--_accent);
      }
      .depth-unacked {
        fill: var(--_warn);
      }
      .edge path.line {
        fill: none;
        stroke: var(--_muted);
      }
      .edge.async path.line {
        stroke: var(--_accent);
        stroke-dasharray: 6 3;
      }
      .edge.failing path.line {
        stroke: var(--_error);
      }
      .edge .head {
        fill: var(--_muted);
      }
      .edge.async .head {
        fill: var(--_accent);
      }
      .edge.failing .head {
        fill: var(--_error);
      }
      .edge text {
        font: 10.5px var(--_mono);
        fill: var(--_fg);
        paint-order: stroke;
        stroke: var(--_bg);
        stroke-width: 4px;
        stroke-linejoin: round;
      }
      .edge.comp path.line {
        stroke: var(--_comp);
        stroke-dasharray: 8 3;
      }
      .edge.comp .head {
        fill: var(--_comp);
      }
      .edge.bound path.line {
        stroke-dasharray: 2 3;
        stroke-width: 1;
      }
      .edge text .bad {
        fill: var(--_error);
        font-weight: 600;
      }
    `,
  ];

  private measure: MeasureName | undefined;

  /** Widths of names in the boxes' font (600, 12.5 px), measured once per map on a canvas; estimated where there is none. */
  private measureName(): MeasureName | undefined {
    if (this.measure) return this.measure;
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return undefined;
    ctx.font = `600 12.5px ${getComputedStyle(this).fontFamily || 'sans-serif'}`;
    const widths = new Map<string, number>();
    this.measure = (text) => {
      let w = widths.get(text);
      if (w === undefined) widths.set(text, (w = ctx.measureText(text).width));
      return w;
    };
    return this.measure;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.model || changed.has('events') || changed.has('time') || changed.has('_boxWidth' as keyof SppServiceMap)) {
      // The drawing may shrink to 80 %: names are shortened before it has to scroll.
      const measure = this.measureName();
      this.model = serviceMap(this.events, { until: this.time, measure, ...(this._boxWidth > 0 ? { fitWidth: this._boxWidth / 0.8 } : {}) });
      // Too wide to be drawn full size: lay the layers out top to bottom if that is narrower (a chain of
      // a few services reads better full size, one under the other, than shrunk side by side).
      if (this._boxWidth > 0 && this.model.width > this._boxWidth) {
        const down = serviceMap(this.events, { until: this.time, measure, direction: 'down', fitWidth: this._boxWidth / 0.8 });
        if (down.width < this.model.width) this.model = down;
      }
    }
  }

  protected override render() {
    const m = this.model!;
    if (m.nodes.length === 0) return html`<div class="empty">No services yet.</div>`;
    const byId = new Map(m.nodes.map((n) => [n.id, n]));
    const pairs = new Set(m.edges.map((e) => `${e.from}\u0000${e.to}`));
    const summary = `${m.nodes.length} parties, ${m.edges.length} connections`;
    const edges = m.edges.map((e) => this.renderEdge(e, byId, pairs.has(`${e.to}\u0000${e.from}`), m));
    // Labels of edges that fan out of (or into) one box would sit on top of each other: set them side by side.
    const labels = edges.flatMap((e) => (e.label ? [e.label] : []));
    const xs = spreadLabels(
      labels.map((l) => ({ x: l.x, top: l.top - 10, bottom: l.top + (l.lines.length - 1) * 12 + 3, width: Math.max(0, ...l.lines.map((t) => t.length)) * EDGE_CHAR_PX })),
      m.width,
    );
    // Wider than the box even shrunk: say so, or the boxes past the right edge go unnoticed on a phone.
    const scrolls = this._boxWidth > 0 && Math.round(m.width * 0.8) > this._boxWidth;
    return html`
      ${scrolls ? html`<p class="scroll-hint">Wider than this panel: scroll it sideways to see every box →</p>` : nothing}
      <div class="wrap" tabindex="0" aria-label="Service map (scrolls sideways when wide)">
        <svg
          viewBox="0 0 ${m.width} ${m.height + 24}"
          style=${styleMap({ minWidth: `${Math.round(m.width * 0.8)}px`, maxWidth: `${m.width}px` })}
          role="img"
          aria-label="Service map: ${summary}"
        >
          ${edges.map((e) => e.line)} ${m.nodes.map((n) => this.renderNode(n))} ${labels.map((l, i) => l.draw(xs[i]!))}
        </svg>
      </div>
    `;
  }

  /** An edge's line and, separately, its label (drawn above the boxes). */
  private renderEdge(e: MapEdge, byId: Map<string, MapNode>, hasReverse: boolean, m: ServiceMap): { line: SVGTemplateResult | typeof nothing; label: EdgeLabel | undefined } {
    const a = byId.get(e.from);
    const b = byId.get(e.to);
    if (!a || !b) return { line: nothing, label: undefined };
    const shift = hasReverse ? (e.from < e.to ? -7 : 7) : 0;
    let d: string;
    let head: string;
    let lx: number;
    let ly: number;
    // Forward past a layer whose boxes are in the way: along a channel free in every layer between.
    const route = m.routes[`${e.from}\u0000${e.to}`];
    if (route) {
      const [, , [cx1, cy1], [cx2], , [ex, ey]] = route as [number, number][];
      d = roundedPath(route);
      head = m.direction === 'down' ? `M ${ex} ${ey} l -4 -8 l 8 0 Z` : `M ${ex} ${ey} l -8 -4 l 0 8 Z`;
      // On its channel, away from the labels that crowd round the source.
      lx = m.direction === 'down' ? cx1 : (cx1 + cx2) / 2;
      ly = m.direction === 'down' ? cy1 + 22 : cy1 - 4;
    } else if (b.layer > a.layer && m.direction === 'down') {
      const x1 = a.x + a.width / 2 + shift;
      const y1 = a.y + a.height;
      const x2 = b.x + b.width / 2 + shift;
      const y2 = b.y - 2;
      const cy = (y1 + y2) / 2;
      d = `M ${x1} ${y1} C ${x1} ${cy}, ${x2} ${cy}, ${x2} ${y2}`;
      head = `M ${x2} ${y2} l -4 -8 l 8 0 Z`;
      // Across several layers, the midpoint may fall on a box in between: label the first gap instead.
      const span = b.layer - a.layer > 1;
      lx = span ? x1 + (x2 - x1) * 0.15 : (x1 + x2) / 2;
      ly = span ? y1 + 20 : cy + 4;
    } else if (b.layer > a.layer) {
      const x1 = a.x + a.width;
      const y1 = a.y + a.height / 2 + shift;
      const x2 = b.x - 2;
      const y2 = b.y + b.height / 2 + shift;
      const cx = (x1 + x2) / 2;
      d = `M ${x1} ${y1} C ${cx} ${y1}, ${cx} ${y2}, ${x2} ${y2}`;
      head = `M ${x2} ${y2} l -8 -4 l 0 8 Z`;
      const span = b.layer - a.layer > 1;
      lx = span ? x1 + 40 : cx;
      ly = span ? y1 + (y2 - y1) * 0.15 - 4 : (y1 + y2) / 2 - 4;
    } else {
      // Back or sideways edge: loop below both boxes. Its label sits in the gap under its source,
      // where no other box is (half-way along, it would land on the boxes in between).
      const x1 = a.x + a.width / 2 + shift;
      const y1 = a.y + a.height;
      const x2 = b.x + b.width / 2 + shift;
      const y2 = b.y + b.height + 2;
      const loop = m.direction === 'down' ? m.loops[`${e.from}\u0000${e.to}`] : undefined;
      if (loop) {
        // Back up: out of the bottom, along a lane under its row, up a rail right of every box, along a
        // lane over the target's row and down into it (at three quarters of each box's width, clear of
        // the edges that leave and enter at the middle).
        const r = 6;
        const xa = a.x + a.width * 0.75;
        const xb = b.x + b.width * 0.75;
        d = `M ${xa} ${y1} V ${loop.exit - r} Q ${xa} ${loop.exit} ${xa + r} ${loop.exit} H ${loop.x - r} Q ${loop.x} ${loop.exit} ${loop.x} ${loop.exit - r} V ${loop.entry + r} Q ${loop.x} ${loop.entry} ${loop.x - r} ${loop.entry} H ${xb + r} Q ${xb} ${loop.entry} ${xb} ${loop.entry + r} V ${b.y - 2}`;
        head = `M ${xb} ${b.y - 2} l -4 -8 l 8 0 Z`;
        lx = xa + r + 26;
        ly = loop.exit + 11;
      } else {
        if (a.back && b.layer < a.layer - 1) {
          // Back past boxes in between: out of the right side, down its rail, along its lane under every box, up into the target.
          const r = 6;
          const { x: rx, y: lane } = a.back;
          const ys = a.y + a.height / 2 + shift;
          d = `M ${a.x + a.width} ${ys} H ${rx - r} Q ${rx} ${ys} ${rx} ${ys + r} V ${lane - r} Q ${rx} ${lane} ${rx - r} ${lane} H ${x2 + r} Q ${x2} ${lane} ${x2} ${lane - r} V ${y2}`;
        } else {
          const low = Math.max(y1, y2) + 22;
          d = `M ${x1} ${y1} C ${x1} ${low}, ${x2} ${low}, ${x2} ${y2}`;
        }
        head = `M ${x2} ${y2} l -4 8 l 8 0 Z`;
        lx = x1 + (x2 < x1 ? -a.width / 4 : a.width / 4);
        ly = y1 + 13 + (e.from < e.to ? 0 : hasReverse ? 12 : 0);
      }
    }
    const failing = e.failures > 0 || e.deadLetters > 0 || e.nacks > 0;
    const width = Math.min(5, 1.2 + Math.log2(1 + e.requests + e.messages) * 0.6);
    const { ok, bad } = labelFigures(e);
    const cls = `edge${e.async ? ' async' : ''}${failing ? ' failing' : ''}${e.compensations ? ' comp' : ''}${e.bound && !e.messages ? ' bound' : ''}`;
    // Between neighbouring layers one figure per line keeps each label narrow: top to bottom, edges out
    // of one box run side by side with little room between them; left to right, the gap stays narrow.
    const oneEach = b.layer === a.layer + 1;
    const part = (figures: string[], isBad: boolean) => (figures.length === 0 ? [] : oneEach ? figures : [figures.join(' · ')]).map((t) => ({ text: t, bad: isBad }));
    const rows = [...part(ok, false), ...part(bad, true)];
    const lines = rows.map((r) => r.text);
    const top = ly - Math.min(rows.length - 1, 1) * 12 - Math.max(0, rows.length - 2) * 6;
    return {
      line: svg`<g class=${cls} data-from=${e.from} data-to=${e.to}>
        <path class="line" d=${d} stroke-width=${width}></path>
        <path class="head" d=${head}></path>
      </g>`,
      label: {
        x: lx,
        top,
        lines,
        draw: (x) =>
          svg`<g class=${cls}><text x=${x} y=${top} text-anchor="middle">${rows.map((r, i) => svg`<tspan class=${r.bad ? 'bad' : nothing} x=${x} dy=${i === 0 ? 0 : 12}>${r.text}</tspan>`)}<title>${partyName(e.from)} → ${partyName(e.to)}: ${e.label}</title></text></g>`,
      },
    };
  }

  private renderNode(n: MapNode): SVGTemplateResult {
    const cx = n.x + n.width / 2;
    const rx = n.kind === 'client' ? 22 : n.kind === 'queue' ? 12 : 6;
    // A name in two lines pushes what is under it down by `dy` (the box keeps its height).
    const lines = nameLines(n.name, n.width, this.measure);
    const dy = lines.length > 1 ? 7 : 0;
    const name =
      lines.length > 1
        ? svg`<text class="name" x=${cx} y=${n.y + 15} text-anchor="middle">${PARTY_MARK[n.kind] ?? ''}${lines[0]}<tspan x=${cx} dy="13.5">${lines[1]}</tspan></text>`
        : svg`<text class="name" x=${cx} y=${n.y + 18} text-anchor="middle">${PARTY_MARK[n.kind] ?? ''}${lines[0]}</text>`;
    let info: SVGTemplateResult | typeof nothing = nothing;
    if (!n.up) info = svg`<text class="info bad" x=${cx} y=${n.y + 36 + dy} text-anchor="middle">DOWN</text>`;
    else if (n.queue) {
      const q = n.queue;
      const total = Math.max(1, q.ready + q.unacked, 10);
      const barW = n.width - 24;
      const y = n.y + (dy ? 47 : 42);
      info = svg`
        <text class="info" x=${cx} y=${y - 7} text-anchor="middle">${q.depth} ready · ${q.unacked} unacked</text>
        <rect class="depth-bg" x=${n.x + 12} y=${y} width=${barW} height="7" rx="2"></rect>
        <rect class="depth-ready" x=${n.x + 12} y=${y} width=${(barW * Math.min(q.depth, total)) / total} height="7" rx="2"></rect>
        <rect class="depth-unacked" x=${n.x + 12 + (barW * Math.min(q.depth, total)) / total} y=${y} width=${(barW * Math.min(q.unacked, total - Math.min(q.depth, total))) / total} height="7"></rect>`;
    } else if (n.kind === 'exchange') info = svg`<text class="info" x=${cx} y=${n.y + 36 + dy} text-anchor="middle">exchange</text>`;
    const badges = n.breakers.slice(0, 2).map((b, i) => {
      const text = `${truncate(b.name, 12)}: ${b.state}`;
      const w = text.length * 6.2 + 8;
      const bx = cx - w / 2;
      const by = n.y + (n.queue ? 52 : 28) + dy + i * 15 + (n.up ? 0 : 14);
      return svg`<g class="badge ${b.state}"><rect x=${bx} y=${by} width=${w} height="14" rx="7"></rect><text x=${cx} y=${by + 10.5} text-anchor="middle">${text}</text><title>breaker ${b.name}: ${b.state}</title></g>`;
    });
    const title = `${n.kind} ${n.name}${n.up ? '' : ' (down)'}${n.breakers.map((b) => `, breaker ${b.name} ${b.state}`).join('')}`;
    return svg`
      <g class="node ${n.kind}${n.up ? '' : ' down'}" data-id=${n.id}>
        <title>${title}</title>
        <rect class="box" x=${n.x} y=${n.y} width=${n.width} height=${n.height} rx=${rx}></rect>
        ${name}${info}${badges}
      </g>`;
  }
}

/** An edge's label: where it would sit (centre, top line's baseline), its lines, and how to draw it at a given centre. */
interface EdgeLabel {
  x: number;
  top: number;
  lines: string[];
  draw(x: number): SVGTemplateResult;
}


define('spp-service-map', SppServiceMap);

declare global {
  interface HTMLElementTagNameMap {
    'spp-service-map': SppServiceMap;
  }
}
