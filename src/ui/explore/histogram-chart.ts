import { html, svg, type TemplateResult } from 'lit';
import type { HistogramBucket, HistogramSummary } from '../../explore/index.js';

/** Most bars one small chart draws; neighbouring buckets merge beyond that. */
const MAX_BARS = 24;

/** The buckets merged into at most `max` bars, in order. */
export function barsOf(buckets: readonly HistogramBucket[], max = MAX_BARS): HistogramBucket[] {
  if (buckets.length <= max) return buckets.slice();
  const per = Math.ceil(buckets.length / max);
  const bars: HistogramBucket[] = [];
  for (let i = 0; i < buckets.length; i += per) {
    const group = buckets.slice(i, i + per);
    bars.push({ from: group[0]!.from, to: group[group.length - 1]!.to, count: group.reduce((n, b) => n + b.count, 0) });
  }
  return bars;
}

const num = (v: number) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US'));

/** The figures of a distribution in one line: `p50 12 ms · p95 40 ms · p99 88 ms`; `all 1,000 are 2,588 ms` when every value is the same. */
export function quantileLine(h: HistogramSummary, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (h.count === 1) return `one value: ${num(h.min)}${u}`;
  if (h.count > 1 && h.min === h.max) return `all ${h.count.toLocaleString('en-US')} are ${num(h.min)}${u}`;
  return `p50 ${num(h.p50)}${u} · p95 ${num(h.p95)}${u} · p99 ${num(h.p99)}${u}`;
}

/**
 * A small bar chart of a distribution with its quantiles written out (the
 * chart is a picture of the same numbers, so screen readers get the line).
 */
export function renderHistogram(title: string, h: HistogramSummary, unit = ''): TemplateResult {
  if (h.count === 0) {
    return html`<figure class="histogram" data-histogram=${title}>
      <figcaption><span class="h-title">${title}</span></figcaption>
      <p class="muted">None in these runs.</p>
    </figure>`;
  }
  // One value only: a single full bar would say nothing the line does not.
  if (h.min === h.max) {
    return html`<figure class="histogram" data-histogram=${title}>
      <figcaption><span class="h-title">${title}</span></figcaption>
      <div class="h-q">${quantileLine(h, unit)}</div>
    </figure>`;
  }
  const bars = barsOf(h.buckets);
  const top = Math.max(1, ...bars.map((b) => b.count));
  const w = 100 / Math.max(1, bars.length);
  const u = unit ? ` ${unit}` : '';
  return html`<figure class="histogram" data-histogram=${title}>
    <figcaption><span class="h-title">${title}</span> <span class="muted">${h.count.toLocaleString('en-US')} values</span></figcaption>
    <svg viewBox="0 0 100 30" preserveAspectRatio="none" aria-hidden="true">
      ${bars.map((b, i) => {
        const height = Math.max(0.8, (b.count / top) * 30);
        return svg`<rect x=${i * w + 0.3} y=${30 - height} width=${Math.max(0.4, w - 0.6)} height=${height}><title>${num(b.from)}–${num(b.to)}${u}: ${b.count}</title></rect>`;
      })}
    </svg>
    <div class="h-range muted"><span>${num(h.min)}${u}</span><span>${num(h.max)}${u}</span></div>
    <div class="h-q">${quantileLine(h, unit)}</div>
  </figure>`;
}
