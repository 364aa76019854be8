import '../../../src/ui/views/index.js';
import type { SagaEffectKind } from '../../../src/patterns/sagas/saga-trace-events.js';
import type { TraceEvent } from '../../../src/sim/trace.js';
import { createWorld } from '../../../src/sim/world.js';
import { brokerTrace, callsAndEventsTrace, CHOREOGRAPHY_QUEUES, choreographyBrokerTrace, correlatedTrace, ev, orderWorldTrace, pollingTrace, resetSeq } from '../../ui/fixtures.js';
import { afterEach, all, assert, assertEqual, cleanup, describe, it, mount, next, update, waitFor } from './harness.js';

type El = HTMLElement & { updateComplete: Promise<boolean> };
const text = (el: Element) => el.textContent?.replace(/\s+/g, ' ').trim() ?? '';

// Lit warns (once per element) when an element asks for another update from within an update:
// every test below is watched for it, and the last test fails if any view did.
const updateWarnings: string[] = [];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const message = args.map(String).join(' ');
  if (message.includes('change-in-update')) updateWarnings.push(message);
  warn(...args);
};

describe('<spp-sequence-diagram>', () => {
  afterEach(cleanup);

  it('draws one arrow per request and response with its label', async () => {
    const events = await orderWorldTrace();
    const el = await mount<El>('spp-sequence-diagram', { events });
    const heads = all(el, 'svg.head text.lifeline-name').map(text);
    assertEqual(heads, ['◉ client', 'orders', 'payment'], 'lifelines');
    const rows = all<SVGGElement>(el, 'g.row[data-seq]');
    const arrows = events.filter((e) => e.kind.startsWith('http.') || e.kind === 'log').length;
    assertEqual(rows.length, arrows, 'one row per http event and log line');
    assert(all(el, 'g.s-request text.label').some((t) => text(t) === 'POST /orders'), 'request label');
    assert(all(el, 'g.s-timeout').length === 1, 'timeout drawn in its own style');
    assert(all(el, 'g.s-error').length >= 2, 'error responses drawn in error style');
  });

  it('shows only events up to the scrub time', async () => {
    const events = await orderWorldTrace();
    const el = await mount<El>('spp-sequence-diagram', { events, time: 0 });
    assertEqual(all(el, 'g.row[data-seq]').length, 1, 'rows at t=0');
    await update(el, { time: 20 });
    const at20 = all(el, 'g.row[data-seq]').length;
    assertEqual(at20, events.filter((e) => e.time <= 20).length, 'rows at t=20');
    await update(el, { time: Infinity });
    assert(all(el, 'g.row[data-seq]').length > at20, 'more rows at the end');
  });

  it('dispatches event-select with the seq of a clicked arrow', async () => {
    const events = await orderWorldTrace();
    const el = await mount<El>('spp-sequence-diagram', { events });
    const row = all<SVGGElement>(el, 'g.s-timeout')[0]!;
    const got = next<{ seq: number }>(el, 'event-select');
    row.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    const { seq } = await got;
    assertEqual(events[seq]!.kind, 'http.timeout', 'selected kind');
  });

  it('folds repeated exchanges and unfolds them on click', async () => {
    const events = await pollingTrace(40);
    const el = await mount<El>('spp-sequence-diagram', { events });
    const fold = all(el, 'g.fold')[0]!;
    assert(text(fold).includes('39× more'), `fold label: ${text(fold)}`);
    fold.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await el.updateComplete;
    assert(all(el, 'g.row[data-seq]').length > 20, 'unfolded rows rendered');
  });

  it('renders only the visible window of a 10,000-event trace', async () => {
    const events = await pollingTrace(5000);
    const t0 = performance.now();
    const el = await mount<El>('spp-sequence-diagram', { events, fold: false });
    const ms = performance.now() - t0;
    const rendered = all(el, 'g.row').length;
    assert(rendered > 5 && rendered < 80, `rendered rows: ${rendered}`);
    const body = all<SVGSVGElement>(el, 'svg.body')[0]!;
    assertEqual(Number(body.getAttribute('height')), 10_000 * 24, 'full height for scrolling');
    assert(ms < 2000, `first render took ${ms} ms`);
    const steps: number[] = [];
    for (const t of [10_000, 20_000, 30_000, 40_000]) {
      const t1 = performance.now();
      await update(el, { time: t });
      steps.push(performance.now() - t1);
    }
    assertEqual(Number(all<SVGSVGElement>(el, 'svg.body')[0]!.getAttribute('height')), events.filter((e) => e.time <= 40_000).length * 24, 'rows at t=40 s');
    const worst = Math.max(...steps);
    console.log(`10k events: first render ${Math.round(ms)} ms, scrub steps ${steps.map((x) => Math.round(x)).join('/')} ms`);
    assert(worst < 500, `a scrub step took ${worst} ms`);
  });

  it('keeps the page narrow: the diagram scrolls inside its own box', async () => {
    resetSeq();
    const events: TraceEvent[] = [];
    for (let i = 0; i < 12; i++) events.push(ev(i, 'http.request', { source: `svc-${i}`, target: `svc-${i + 1}`, method: 'GET', path: '/' }));
    const el = await mount<El>('spp-sequence-diagram', { events }, 600);
    assert(el.getBoundingClientRect().width <= 600, 'element fits its container');
    const scroller = all<HTMLElement>(el, '.scroller')[0]!;
    assert(scroller.scrollWidth > scroller.clientWidth, 'wide diagram scrolls inside');
  });

  it('names an arrow scrolled out of view at the edge, without its own label drawn over the name', async () => {
    resetSeq();
    const events: TraceEvent[] = [];
    for (let i = 0; i < 12; i++) events.push(ev(i, 'http.request', { source: `svc-${i}`, target: `svc-${i + 1}`, method: 'GET', path: `/step-${i}` }));
    const el = await mount<El>('spp-sequence-diagram', { events }, 600);
    const scroller = all<HTMLElement>(el, '.scroller')[0]!;
    // Scrolled so that the arrow svc-6 → svc-7 starts 15 px before the right edge: only a sliver of it shows.
    const start = Number(all<SVGLineElement>(el, 'g.row[data-seq="6"] line.line')[0]!.getAttribute('x1'));
    scroller.scrollLeft = start - scroller.clientWidth + 15;
    scroller.dispatchEvent(new Event('scroll'));
    await waitFor(() => all(el, 'g.row[data-seq="6"] text.hint').length === 1, 'the sliver of arrow 6 is named at the right edge');
    assertEqual(text(all(el, 'g.row[data-seq="6"] text.hint')[0]!), 'svc-6 → svc-7: GET /step-6 →', 'the name at the edge');
    const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    for (const row of all<SVGGElement>(el, 'g.row[data-seq]')) {
      const hint = row.querySelector('text.hint');
      if (!hint) continue;
      for (const label of row.querySelectorAll('text.label')) {
        assert(!overlaps(hint.getBoundingClientRect(), label.getBoundingClientRect()), `row ${row.dataset['seq']}: its label "${text(label)}" is drawn over the name at the edge`);
      }
    }
  });

  it('cuts a long name at the edge to the room beside the time gutter, keeping the whole of it in the row\'s title', async () => {
    resetSeq();
    const events: TraceEvent[] = [];
    const name = (i: number) => `a-service-with-a-rather-long-name-${i}`;
    for (let i = 0; i < 8; i++) events.push(ev(i, 'http.request', { source: name(i), target: name(i + 1), method: 'GET', path: `/step-${i}` }));
    const el = await mount<El>('spp-sequence-diagram', { events }, 400);
    await waitFor(() => all(el, 'g.row[data-seq="5"] text.hint').length === 1, 'arrow 5 is out of view, named at the right edge');
    const row = all<SVGGElement>(el, 'g.row[data-seq="5"]')[0]!;
    const hint = row.querySelector('text.hint')!;
    assert(text(hint).endsWith('… →'), `the name is cut: ${text(hint)}`);
    assert(text(hint).startsWith(`${name(5)} → `), `the name starts with the sender: ${text(hint)}`);
    const gutter = row.querySelector('rect.gutter')!.getBoundingClientRect();
    assert(hint.getBoundingClientRect().left >= gutter.right - 1, `the name (from ${hint.getBoundingClientRect().left} px) starts right of the time gutter (which ends at ${gutter.right} px)`);
    assert(text(row.querySelector('title')!).includes(`${name(5)} → ${name(6)}`) || row.getAttribute('aria-label')!.includes(name(6)), 'the whole name stays in the row');
  });

  it('narrows its lifelines when its box narrows, also after being removed and added again', async () => {
    resetSeq();
    const events: TraceEvent[] = [];
    for (let i = 0; i < 6; i++) events.push(ev(i, 'http.request', { source: `svc-${i}`, target: `svc-${i + 1}`, method: 'GET', path: '/' }));
    const el = await mount<El>('spp-sequence-diagram', { events }, 1000);
    const host = el.parentElement!;
    const spacing = () => {
      const xs = all(el, 'svg.body line.lifeline').map((l) => Number(l.getAttribute('x1')));
      return xs[1]! - xs[0]!;
    };
    // Seven lifelines share the width left of the time gutter, between 110 and 170 px each.
    await waitFor(() => spacing() === 127, `lifelines 127 px apart in a 1000 px box (are ${spacing()})`);
    host.style.width = '900px';
    await waitFor(() => spacing() === 112, `lifelines 112 px apart in a 900 px box (are ${spacing()})`);
    host.remove();
    document.body.append(host);
    await el.updateComplete;
    host.style.width = '1000px';
    await waitFor(() => spacing() === 127, `lifelines 127 px apart again after re-adding (are ${spacing()})`);
  });

  it('moves through rows with the keyboard and selects with Enter', async () => {
    const events = await orderWorldTrace();
    const el = await mount<El>('spp-sequence-diagram', { events });
    const scroller = all<HTMLElement>(el, '.scroller')[0]!;
    scroller.focus();
    const key = (k: string) => scroller.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true }));
    key('Home');
    key('ArrowDown');
    await el.updateComplete;
    const got = next<{ seq: number }>(el, 'event-select');
    key('Enter');
    assertEqual((await got).seq, 1, 'second row selected');
  });

  it('shows the selected event with its correlation id, and narrows to that chain until "show all"', async () => {
    const events = await correlatedTrace();
    const el = await mount<El>('spp-sequence-diagram', { events, selectedSeq: 4 });
    const seqs = () => all(el, 'g.row[data-seq]').map((g) => Number(g.getAttribute('data-seq')));
    assertEqual(seqs().length, events.length, 'all rows at first');
    const bar = all(el, '.selection')[0]!;
    assert(text(bar).includes('#4') && text(bar).includes('orders → payment'), `selection: ${text(bar)}`);
    const row = all(el, 'g.row.selected')[0]!;
    assert(row.getAttribute('aria-label')!.endsWith('(correlation order-1)'), `row name: ${row.getAttribute('aria-label')}`);
    const corr = all<HTMLButtonElement>(el, 'button.corr')[0]!;
    assertEqual([text(corr), corr.getAttribute('aria-pressed')], ['order-1', 'false'], 'correlation toggle');

    const changed = next<{ correlationId: string | undefined }>(el, 'correlation-change');
    corr.click();
    assertEqual((await changed).correlationId, 'order-1', 'correlation-change detail');
    await el.updateComplete;
    assertEqual(seqs(), [0, 3, 4, 8, 10], 'only the chain of order-1');
    assertEqual(corr.getAttribute('aria-pressed'), 'true', 'toggle pressed');
    assert(text(all(el, '.selection')[0]!).includes('only correlation order-1 (5 events)'), 'filter named');
    assert(all(el, '.scroller')[0]!.getAttribute('aria-label')!.includes('only correlation order-1'), 'list names the filter');

    all<HTMLButtonElement>(el, 'button.show-all')[0]!.click();
    await el.updateComplete;
    await el.updateComplete;
    assertEqual(seqs().length, events.length, 'all rows again');
    assertEqual(all(el, 'button.show-all').length, 0, 'show all gone');
    assertEqual(el.shadowRoot!.activeElement?.className, 'corr', 'focus kept on the correlation toggle');
  });
});

/** Fails if a line of the map runs through a box it neither starts nor ends at. */
function assertNoLineThroughABox(el: Element): void {
  const boxes = all<SVGGElement>(el, 'g.node').map((g) => ({ id: g.getAttribute('data-id')!, r: g.querySelector<SVGRectElement>('rect.box')!.getBBox() }));
  for (const g of all<SVGGElement>(el, 'g.edge[data-from]')) {
    const path = g.querySelector<SVGPathElement>('path.line')!;
    const ends = [g.getAttribute('data-from'), g.getAttribute('data-to')];
    const length = path.getTotalLength();
    for (let at = 0; at <= length; at += 4) {
      const p = path.getPointAtLength(at);
      const hit = boxes.find((b) => !ends.includes(b.id) && p.x > b.r.x + 2 && p.x < b.r.x + b.r.width - 2 && p.y > b.r.y + 2 && p.y < b.r.y + b.r.height - 2);
      assert(!hit, `the line ${ends.join(' → ')} runs through ${hit?.id} at (${Math.round(p.x)}, ${Math.round(p.y)})`);
    }
  }
}

describe('<spp-service-map>', () => {
  afterEach(cleanup);

  it('shows services, exchanges, queues and edge counts that follow the scrub time', async () => {
    const events = await orderWorldTrace();
    const el = await mount<El>('spp-service-map', { events });
    assertEqual(all(el, 'g.node').length, 3, 'nodes');
    const labels = () => all(el, 'g.edge text').map(text).join(' | ');
    assert(labels().includes('3 calls · 2 failed'), `edge labels: ${labels()}`);
    await update(el, { time: 0 });
    assertEqual(all(el, 'g.edge[data-from]').length, 1, 'one edge at t=0');
    assert(labels().startsWith('1 call'), `edge label at t=0: ${labels()}`);
    const broker = await mount<El>('spp-service-map', { events: brokerTrace(), time: 3 });
    const queue = all(broker, 'g.node[data-id="queue:emails"]')[0]!;
    assert(text(queue).includes('2 ready · 0 unacked'), `queue at t=3: ${text(queue)}`);
    await update(broker, { time: 6 });
    assert(text(all(broker, 'g.node[data-id="queue:emails"]')[0]!).includes('0 ready · 2 unacked'), 'queue at t=6');
  });

  it('keeps the labels of edges that fan out of one service apart in a phone-wide box', async () => {
    resetSeq();
    const events: TraceEvent[] = [];
    let t = 0;
    // The client's orders reach the orchestrator, which calls three services: too wide for the box
    // from left to right, the map is laid out from top to bottom, the three services side by side.
    for (let i = 0; i < 3; i++) {
      events.push(ev(t++, 'http.request', { source: 'client', target: 'order-orchestrator', requestId: `c-${i}`, method: 'POST', path: '/orders', url: 'http://order-orchestrator/orders' }));
      events.push(ev(t++, 'http.response', { source: 'order-orchestrator', target: 'client', requestId: `c-${i}`, method: 'POST', path: '/orders', status: 202, sentAt: t, durationMs: 1 }));
    }
    for (const target of ['order-service', 'payment-service', 'inventory-service']) {
      for (let i = 0; i < 12; i++) {
        const requestId = `${target}-${i}`;
        events.push(ev(t++, 'http.request', { source: 'order-orchestrator', target, requestId, method: 'POST', path: '/x', url: `http://${target}/x` }));
        events.push(ev(t++, 'http.response', { source: target, target: 'order-orchestrator', requestId, method: 'POST', path: '/x', status: i % 3 ? 200 : 503, sentAt: t, durationMs: 1 }));
      }
      for (let i = 0; i < 4; i++) events.push(ev(t++, 'saga.compensation', { source: 'order-orchestrator', target, saga: `saga-${i}`, step: 'undo', attempt: 1, reason: 'completed' }));
    }
    const el = await mount<El>('spp-service-map', { events }, 390);
    const tops = () => ['order-service', 'payment-service', 'inventory-service'].map((id) => Math.round(all(el, `g.node[data-id="${id}"]`)[0]?.getBoundingClientRect().top ?? -1));
    await waitFor(() => new Set(tops()).size === 1 && tops()[0]! >= 0, `the three services side by side, top to bottom from the client (tops ${tops().join(', ')})`);
    const boxes = all(el, 'g.edge:not([data-from]) text').map((t) => ({ text: text(t), r: t.getBoundingClientRect() })).filter((b) => b.text.includes('comp.'));
    assertEqual(boxes.length, 3, 'the labels of the three edges out of the orchestrator');
    // One figure per line: narrow labels for edges that run side by side.
    const lines = all(el, 'g.edge:not([data-from]) text').filter((t) => text(t).includes('comp.')).map((t) => [...t.querySelectorAll('tspan')].map((s) => text(s)));
    assertEqual(lines, Array(3).fill(['12 calls', '4 failed', '4 comp.']), 'the lines of each label');
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const hit = a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom;
        assert(!hit, `"${a.text}" and "${b.text}" overlap`);
      }
    }
  });

  it('fits a choreography of six queues into a desktop views column, each queue named in full', async () => {
    const events = choreographyBrokerTrace();
    const el = await mount<El>('spp-service-map', { events }, 500);
    const wrap = el.shadowRoot!.querySelector<HTMLElement>('.wrap')!;
    await waitFor(() => all(el, 'g.node').length === 10 && wrap.clientWidth > 0, 'ten boxes');
    const names = () => Object.fromEntries(all(el, 'g.node').map((n) => [n.getAttribute('data-id'), text(n.querySelector('text.name')!)]));
    await waitFor(() => wrap.scrollWidth <= wrap.clientWidth, `the map fits without scrolling sideways (${wrap.scrollWidth} px in ${wrap.clientWidth})`);
    // The three queues of the order service differ only after the dot: that part is never cut.
    for (const [consumer, event] of CHOREOGRAPHY_QUEUES.filter(([c]) => c !== 'inventory-service')) {
      const name = names()[`queue:${consumer}.${event}`] ?? '';
      assert(name.includes(event) && !name.endsWith('…'), `queue ${consumer}.${event} is named "${name}"`);
    }
    for (const service of ['order-service', 'payment-service', 'inventory-service']) assertEqual(names()[service], service, `service ${service}`);
    assertEqual(all(el, '.scroll-hint').length, 0, 'no scroll hint when it fits');
    // The services publish back to the exchange past the queues: round them.
    assertNoLineThroughABox(el);
    // On a phone it cannot fit: it says that it scrolls, and since it scrolls anyway, no name is cut.
    const phone = await mount<El>('spp-service-map', { events }, 360);
    await waitFor(() => all(phone, '.scroll-hint').length === 1, 'a scroll hint on a phone');
    const cut = all(phone, 'g.node text.name').map(text).filter((t) => t.includes('…'));
    assertEqual(cut, [], 'names cut on a phone');
  });

  it('laid out top to bottom, takes the edges back up round the boxes, not through them', async () => {
    const events = callsAndEventsTrace();
    const el = await mount<El>('spp-service-map', { events }, 500);
    const top = (id: string) => all(el, `g.node[data-id="${id}"]`)[0]?.getBoundingClientRect().top ?? -1;
    await waitFor(() => top('client') >= 0 && top('client') < top('order-service') && top('order-service') < top('exchange:events'), 'laid out top to bottom');
    // A queue's consumer above it, and a service publishing to the exchange over it: three edges back up.
    const back = all(el, 'g.edge[data-from]').filter((g) => top(g.getAttribute('data-to')!) < top(g.getAttribute('data-from')!));
    assertEqual(back.length, 3, 'edges back up');
    assertNoLineThroughABox(el);
  });

  it('badges breakers with their state at the scrub time', async () => {
    resetSeq();
    const events = [
      ev(0, 'http.request', { source: 'orders', target: 'payment', method: 'GET', path: '/' }),
      ev(10, 'state', { source: 'orders', component: 'pay', from: 'closed', to: 'open' }),
    ];
    const el = await mount<El>('spp-service-map', { events, time: 5 });
    assert(all(el, 'g.badge.closed').length === 1, 'closed before the change');
    await update(el, { time: 10 });
    assert(all(el, 'g.badge.open').length === 1, 'open after the change');
  });
});

describe('<spp-breaker-timeline>', () => {
  afterEach(cleanup);
  resetSeq();
  const events = [
    ev(0, 'breaker.call', { source: 'orders', breaker: 'pay', outcome: 'failure', state: 'closed' }),
    ev(100, 'state', { source: 'orders', component: 'pay', from: 'closed', to: 'open', detail: { window: { kind: 'count', calls: 4, failures: 3, slowCalls: 0, failureRate: 0.75 } } }),
    ev(300, 'state', { source: 'orders', component: 'pay', from: 'open', to: 'halfOpen' }),
    ev(400, 'state', { source: 'orders', component: 'pay', from: 'halfOpen', to: 'closed' }),
  ];

  it('draws state intervals and the window snapshot, filled in as time advances', async () => {
    const el = await mount<El>('spp-breaker-timeline', { events });
    assertEqual(all(el, '.iv').map((d) => d.className.replace('iv ', '')), ['closed', 'open', 'half-open', 'closed'], 'intervals');
    assert(text(all(el, '.window')[0]!).includes('failure rate 75%'), 'window snapshot');
    await update(el, { time: 150 });
    assertEqual(all(el, '.iv').length, 2, 'intervals at t=150');
    assert(text(all(el, '.name .badge')[0]!) === 'open', 'current state');
  });

  it('explains the call ticks only when there are calls to tick', async () => {
    const legend = (el: Element) => all(el, '.legend .muted').map(text).join(' ');
    assert(legend(await mount<El>('spp-breaker-timeline', { events })).includes('ticks: calls'), 'a breaker that recorded its calls');
    const statesOnly = events.filter((e) => e.kind === 'state');
    assertEqual(legend(await mount<El>('spp-breaker-timeline', { events: statesOnly })), '', 'a hand-written breaker that records only its states');
  });

  it('gives the bar the whole width on a narrow screen, with the name above it', async () => {
    const barShare = (el: Element) => all(el, '.bar')[0]!.getBoundingClientRect().width / el.getBoundingClientRect().width;
    const narrow = await mount<El>('spp-breaker-timeline', { events }, 360);
    assert(barShare(narrow) > 0.9, `at 360 px the bar takes ${Math.round(barShare(narrow) * 100)} % of the width`);
    assert(all(narrow, '.name')[0]!.getBoundingClientRect().bottom <= all(narrow, '.bar')[0]!.getBoundingClientRect().top + 1, 'the name is above the bar');
    cleanup();
    const wide = await mount<El>('spp-breaker-timeline', { events }, 900);
    assert(barShare(wide) < 0.9, 'at 900 px the name has a column beside the bar');
  });

  it('selects the event of a state change', async () => {
    const el = await mount<El>('spp-breaker-timeline', { events });
    const got = next<{ seq: number }>(el, 'event-select');
    all<HTMLButtonElement>(el, '.changes button')[0]!.click();
    assertEqual((await got).seq, events[1]!.seq, 'seq of the change');
  });
});

describe('<spp-saga-board>', () => {
  afterEach(cleanup);
  resetSeq();
  const state = (t: number, key: string, entity: string, from: string, to: string) => ev(t, 'state', { source: entity, correlationId: key, component: `${entity}:${key}`, from, to });
  const effect = (t: number, key: string, source: string, effect: SagaEffectKind, detail: string) => ev(t, 'saga.effect', { source, correlationId: key, orderId: key, effect, detail });
  const events = [
    ev(0, 'saga.start', { source: 'orch', target: 'orch', correlationId: 's-1', saga: 'ship', sagaId: 's-1', steps: ['reserve', 'charge'] }),
    ev(1, 'saga.step', { source: 'orch', target: 'stock', correlationId: 's-1', saga: 'ship', sagaId: 's-1', step: 'reserve', attempt: 1 }),
    ev(2, 'saga.step-done', { source: 'orch', target: 'stock', correlationId: 's-1', saga: 'ship', sagaId: 's-1', step: 'reserve', attempt: 1 }),
    ev(3, 'saga.step-failed', { source: 'orch', target: 'pay', correlationId: 's-1', saga: 'ship', sagaId: 's-1', step: 'charge', attempt: 1, error: 'declined', outcome: 'failed', willRetry: false }),
    ev(4, 'saga.compensation', { source: 'orch', target: 'stock', correlationId: 's-1', saga: 'ship', sagaId: 's-1', step: 'reserve', attempt: 1, reason: 'completed' }),
    ev(5, 'saga.compensation-done', { source: 'orch', target: 'stock', correlationId: 's-1', saga: 'ship', sagaId: 's-1', step: 'reserve', attempt: 1 }),
    ev(5, 'saga.end', { source: 'orch', target: 'orch', correlationId: 's-1', saga: 'ship', sagaId: 's-1', outcome: 'compensated', failedStep: 'charge' }),
    state(10, 'o-1', 'order', 'none', 'pending'),
    effect(11, 'o-1', 'payment', 'charge', 'charged 40 for o-1'),
    effect(12, 'o-1', 'payment', 'charge', 'charged 40 for o-1'),
    state(13, 'o-1', 'order', 'pending', 'completed'),
    state(14, 'o-2', 'order', 'none', 'pending'),
  ];

  it('lists sagas with their steps and orders with their states, marks a second charge, and filters', async () => {
    const el = await mount<El>('spp-saga-board', { events });
    assertEqual(all(el, 'tr[data-saga="s-1"] .steps button').map(text), ['↩ reserve', '✗ charge'], 'steps');
    assert(text(all(el, 'tr[data-saga="s-1"]')[0]!).includes('compensated'), 'outcome');
    assertEqual(all(el, 'tr[data-key]').map((r) => r.getAttribute('data-key')), ['o-1', 'o-2'], 'orders');
    assertEqual(all(el, 'tr[data-key="o-1"] .effects button.warn').map(text), ['⚠ charged 40'], 'second charge marked');
    const select = all<HTMLSelectElement>(el, 'select')[0]!;
    select.value = 'open';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    assertEqual(all(el, 'tr[data-key]').map((r) => r.getAttribute('data-key')), ['o-2'], 'only open orders');
  });

  it('follows the scrubber and selects the event of a status', async () => {
    const el = await mount<El>('spp-saga-board', { events, time: 10 });
    assertEqual(all(el, 'tr[data-key="o-1"] button.chip').map(text), ['pending'], 'status at t=10');
    await update(el, { time: -1 });
    assert(text(el.shadowRoot!.querySelector('.empty')!).startsWith('No saga has started by'), 'before anything started');
    await update(el, { time: Infinity });
    const got = next<{ seq: number }>(el, 'event-select');
    all<HTMLButtonElement>(el, 'tr[data-key="o-1"] button.chip')[0]!.click();
    assertEqual((await got).seq, events[10]!.seq, 'seq of the last status');
  });
});

describe('<spp-log-console>', () => {
  afterEach(cleanup);
  resetSeq();
  const events = [
    ev(0, 'log', { source: 'orders', level: 'info', message: 'order created' }),
    ev(1, 'log', { source: 'payment', level: 'warn', message: 'slow bank' }),
    ev(2, 'error', { source: 'world', message: 'TypeError: boom', line: 14, column: 3 }),
  ];

  it('gives a message the whole width on a narrow screen, and its own column on a wide one', async () => {
    const long = [ev(0, 'log', { source: 'world', level: 'info', message: 'retry 4 in 8000 ms: Request failed with status code 404' })];
    const widthOfMessage = (el: Element) => {
      const li = all(el, 'li[data-seq]')[0]!.getBoundingClientRect();
      const msg = all(el, 'li[data-seq] .msg')[0]!.getBoundingClientRect();
      const time = all(el, 'li[data-seq] .t')[0]!.getBoundingClientRect();
      return { share: msg.width / li.width, below: msg.top >= time.bottom - 1 };
    };
    const narrow = widthOfMessage(await mount<El>('spp-log-console', { events: long }, 360));
    assert(narrow.share > 0.85 && narrow.below, `at 360 px the message is under the time, across the line (${JSON.stringify(narrow)})`);
    cleanup();
    const wide = widthOfMessage(await mount<El>('spp-log-console', { events: long }, 900));
    assert(wide.share < 0.8 && !wide.below, `at 900 px the message has its own column beside the time (${JSON.stringify(wide)})`);
  });

  it('lists lines, toggles levels and filters text', async () => {
    const el = await mount<El>('spp-log-console', { events });
    assertEqual(all(el, 'li[data-seq]').length, 3, 'all lines');
    const warn = all<HTMLButtonElement>(el, 'button.toggle').find((b) => text(b).startsWith('warn'))!;
    warn.click();
    await el.updateComplete;
    assertEqual(warn.getAttribute('aria-pressed'), 'false', 'toggle state');
    assertEqual(all(el, 'li[data-seq]').length, 2, 'warn hidden');
    const input = all<HTMLInputElement>(el, 'input[type=search]')[0]!;
    input.value = 'ORDER';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    assertEqual(all(el, 'li[data-seq]').map((li) => li.getAttribute('data-seq')), ['0'], 'filtered');
    await update(el, { filter: '', time: 0 });
    assertEqual(all(el, 'li[data-seq]').length, 1, 'scrubbed to t=0');
  });

  it('shows the correlation id of a line and filters to it from its button or the search', async () => {
    const trace = await correlatedTrace();
    const el = await mount<El>('spp-log-console', { events: trace });
    const ids = all<HTMLButtonElement>(el, 'li[data-seq] button.cid');
    assertEqual(ids.map(text), ['order-1', 'order-2'], 'ids shown');
    ids[1]!.click();
    await el.updateComplete;
    assertEqual(all<HTMLInputElement>(el, 'input[type=search]')[0]!.value, 'order-2', 'search filled in');
    assertEqual(all(el, 'li[data-seq]').map((li) => li.getAttribute('data-seq')), ['5'], 'only the line of order-2');
    resetSeq();
    const own = [ev(0, 'log', { source: 'orders', level: 'info', message: 'received', correlationId: 'c-7' }), ev(1, 'log', { source: 'orders', level: 'info', message: 'idle' })];
    await update(el, { events: own, filter: 'c-7' });
    assertEqual(all(el, 'li[data-seq]').map((li) => li.getAttribute('data-seq')), ['0'], 'search matches the event id');
  });

  it('renders an error with a line as a link that dispatches reveal-line', async () => {
    const el = await mount<El>('spp-log-console', { events });
    const link = all<HTMLAnchorElement>(el, 'a.pos')[0]!;
    assertEqual(text(link), 'line 14:3', 'link text');
    const got = next<{ line: number; column?: number }>(el, 'reveal-line');
    link.click();
    assertEqual(await got, { line: 14, column: 3 }, 'reveal-line detail');
  });
});

describe('<spp-metrics>', () => {
  afterEach(cleanup);

  it('tabulates routes and queues at the scrub time', async () => {
    const events = [...(await orderWorldTrace())];
    const el = await mount<El>('spp-metrics', { events });
    const row = all(el, 'tr[data-route="payment POST /payments"]')[0]!;
    assertEqual(text(row.querySelector('th')!), 'payment POST /payments', 'the row is named by its route');
    const cells = [...row.querySelectorAll('td')].map(text);
    assertEqual(cells.slice(0, 3), ['3', '2 (67%)', '1'], 'calls, failed, timeouts');
    await update(el, { time: 0 });
    assertEqual(all(el, 'tr[data-route]').length, 1, 'routes at t=0');
    const q = await mount<El>('spp-metrics', { events: brokerTrace() });
    assertEqual([...all(q, 'tr[data-queue=emails]')[0]!.querySelectorAll('td')].map(text).slice(0, 6), ['2', '2', '0', '1', '1', '1'], 'queue row');
  });
});

/** Calls to two routes with long names (as in the orchestration saga) and a queue, for the layout of the metrics. */
async function longRoutesTrace(): Promise<TraceEvent[]> {
  const world = createWorld({ seed: 1 });
  const inventory = world.service('inventory-service');
  inventory.post('/reservations/:id/release', async (_req, res) => {
    await world.sleep(12);
    res.status(200).json({});
  });
  inventory.post('/reservations', async (_req, res) => {
    await world.sleep(30);
    res.status(201).json({});
  });
  const go = async () => {
    for (let i = 0; i < 3; i++) {
      await world.http.post('http://inventory-service/reservations', {}).catch(() => undefined);
      await world.http.post(`http://inventory-service/reservations/${i}/release`, {}).catch(() => undefined);
    }
  };
  void go();
  await world.run();
  return [...world.events, ...brokerTrace().map((e) => ({ ...e, seq: e.seq + 10_000 }))];
}

/** Checks that each data row's figures sit under their own headings, inside the box. */
function assertFiguresUnderHeadings(el: Element, table: string, width: number): void {
  const wrap = all<HTMLElement>(el, '.wrap')[0]!;
  assert(wrap.scrollWidth <= wrap.clientWidth + 1, `${table} at ${width} px: the tables need ${wrap.scrollWidth} px of ${wrap.clientWidth}, so they scroll sideways`);
  const heads = all<HTMLElement>(el, `table.${table} thead th`).slice(1);
  const rows = all<HTMLElement>(el, `table.${table} tbody tr`);
  assert(rows.length > 0 && heads.length > 0, `${table}: rows and headings`);
  for (const h of heads) {
    const range = document.createRange();
    range.selectNodeContents(h);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    assert(lines === 1 && h.scrollWidth <= h.clientWidth + 1, `${table} at ${width} px: the heading "${text(h)}" is broken over ${lines} lines or runs past its column`);
  }
  for (const row of rows) {
    const cells = [...row.querySelectorAll('td')];
    assertEqual(cells.length, heads.length, `${table}: one cell per heading`);
    cells.forEach((cell, i) => {
      const c = cell.getBoundingClientRect();
      const h = heads[i]!.getBoundingClientRect();
      const mid = (c.left + c.right) / 2;
      assert(mid > h.left && mid < h.right, `${table} at ${width} px: "${text(cell)}" (${c.left}–${c.right}) is not under its heading "${text(heads[i]!)}" (${h.left}–${h.right})`);
      assert(c.right <= wrap.getBoundingClientRect().right + 1, `${table} at ${width} px: "${text(cell)}" is past the right edge`);
    });
  }
}

describe('<spp-metrics> in a narrow column', () => {
  afterEach(cleanup);

  it('puts a long route on a line of its own and every figure, p99 included, under its heading', async () => {
    const events = await longRoutesTrace();
    for (const width of [700, 600, 500, 360]) {
      const el = await mount<El>('spp-metrics', { events }, width);
      const row = all<HTMLElement>(el, 'tr[data-route="inventory-service POST /reservations/:id/release"]')[0]!;
      const name = row.querySelector('th')!.getBoundingClientRect();
      const p99 = row.querySelectorAll('td')[6]!.getBoundingClientRect();
      assert(p99.top >= name.bottom - 1, `at ${width} px the figures are on a line below the route's name`);
      assertFiguresUnderHeadings(el, 'routes', width);
      assertFiguresUnderHeadings(el, 'queues', width);
      cleanup();
    }
    // With room for every column, a route and its figures share one line.
    const wide = await mount<El>('spp-metrics', { events }, 1000);
    const row = all<HTMLElement>(wide, 'tr[data-route="inventory-service POST /reservations/:id/release"]')[0]!;
    const tops = [row.querySelector('th')!, ...row.querySelectorAll('td')].map((c) => Math.round(c.getBoundingClientRect().top));
    assertEqual(new Set(tops).size, 1, 'one line per route at 1000 px');
    assertFiguresUnderHeadings(wide, 'routes', 1000);
  });
});

describe('<spp-checks-panel>', () => {
  afterEach(cleanup);

  it('shows failing checks with their message and events, and selects an event', async () => {
    const events = await orderWorldTrace();
    const timeout = events.find((e) => e.kind === 'http.timeout')!;
    const el = await mount<El>('spp-checks-panel', {
      events,
      checks: [
        { id: 'a', title: 'Every order is answered', passed: true },
        { id: 'b', title: 'No call times out', passed: false, message: 'orders gave up on payment', eventSeqs: [timeout.seq] },
      ],
    });
    assertEqual(text(all(el, '.summary')[0]!), '1 of 2 checks pass', 'summary');
    const failed = all(el, 'li.failed')[0]!;
    assert(text(failed).includes('orders gave up on payment'), 'message');
    const button = failed.querySelector('button')!;
    assert(text(button).includes('orders → payment: timeout POST /payments'), `event text: ${text(button)}`);
    const got = next<{ seq: number }>(el, 'event-select');
    button.click();
    assertEqual((await got).seq, timeout.seq, 'selected seq');
    assertEqual(all(el, 'li.passed button').length, 0, 'passing checks list no events');
  });
});

describe('<spp-time-scrubber>', () => {
  afterEach(cleanup);
  resetSeq();
  const events = [ev(0, 'log', { level: 'info', message: 'a' }), ev(0, 'log', { level: 'info', message: 'b' }), ev(10, 'log', { level: 'info', message: 'c' }), ev(25, 'log', { level: 'info', message: 'd' })];

  it('steps event time by event time with buttons and arrow keys', async () => {
    const el = await mount<El>('spp-time-scrubber', { events, time: 0 });
    const times: number[] = [];
    el.addEventListener('time-change', (e) => times.push((e as CustomEvent<{ time: number }>).detail.time));
    const [back, , fwd] = all<HTMLButtonElement>(el, 'button');
    fwd!.click();
    fwd!.click();
    fwd!.click();
    back!.click();
    const range = all<HTMLInputElement>(el, 'input[type=range]')[0]!;
    range.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, composed: true }));
    range.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    assertEqual(times, [10, 25, 10, 0, 25], 'times');
    await el.updateComplete;
    assert(text(all(el, '.readout')[0]!).includes('4/4 events'), 'readout');
  });

  it('drags to any time and plays with Space', async () => {
    const el = await mount<El>('spp-time-scrubber', { events, time: 0, rate: 100 });
    const range = all<HTMLInputElement>(el, 'input[type=range]')[0]!;
    const dragged = next<{ time: number }>(el, 'time-change');
    range.value = '17';
    range.dispatchEvent(new Event('input'));
    assertEqual((await dragged).time, 17, 'dragged time');
    await update(el, { time: 0 });
    const played: number[] = [];
    const end = new Promise<void>((resolve) =>
      el.addEventListener('time-change', (e) => {
        played.push((e as CustomEvent<{ time: number }>).detail.time);
        if (played.at(-1) === 25) resolve();
      }),
    );
    el.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, composed: true }));
    assert((el as unknown as { playing: boolean }).playing, 'playing after Space');
    await end;
    assertEqual(played, [10, 25], 'played event by event to the end');
    await new Promise((r) => setTimeout(r, 50));
    assert(!(el as unknown as { playing: boolean }).playing, 'stopped at the end');
  });
});

describe('<spp-load-chart>', () => {
  afterEach(cleanup);

  /** Two loads over 3 s: `pages` healthy; `search` failing in its second second, with 3 calls to `search-service` per call. */
  function loadTrace(): TraceEvent[] {
    resetSeq();
    const out: TraceEvent[] = [
      ev(0, 'load.start', { source: 'client', load: 'pages', ratePerSecond: 2, durationMs: 3000, clients: 1 }),
      ev(0, 'load.start', { source: 'client', load: 'search', ratePerSecond: 2, durationMs: 3000, clients: 4 }),
    ];
    let index = 0;
    for (const t of [100, 600, 1100, 1600, 2100, 2600]) {
      const i = index++;
      out.push(ev(t, 'load.call', { source: 'client', load: 'pages', index: i, client: 1 }));
      out.push(ev(t + 10, 'load.done', { source: 'client', load: 'pages', index: i, client: 1, ok: true, durationMs: 10 }));
      out.push(ev(t + 20, 'load.call', { source: 'client', load: 'search', index: i, client: 2 }));
      for (const k of [0, 1, 2]) out.push(ev(t + 21 + k, 'http.request', { source: 'client', target: 'search-service', requestId: `r-${i}-${k}`, method: 'GET', path: '/s', url: 'http://search-service/s' }));
      const bad = t >= 1000 && t < 2000;
      out.push(ev(t + (bad ? 300 : 40), 'load.done', { source: 'client', load: 'search', index: i, client: 2, ok: !bad, durationMs: bad ? 280 : 20 }));
    }
    return out.sort((a, b) => a.time - b.time || a.seq - b.seq);
  }

  it('is hidden for a run without a load', async () => {
    const el = await mount<El>('spp-load-chart', { events: await orderWorldTrace() });
    assert(el.hidden, 'hidden without load events');
  });

  it('charts the chosen load per second with text alternatives, calls per service, and a table', async () => {
    const el = await mount<El>('spp-load-chart', { events: loadTrace() });
    assert(!el.hidden, 'shown');
    assertEqual(all(el, 'figure').length, 4, 'four charts');
    assertEqual(all(el, '.picker button').map(text), ['pages', 'search'], 'a button per load');
    assert(text(all(el, '.summary')[0]!).startsWith('pages: 2/s for 3 s · 6 sent · 6 ok · 0 failed'), text(all(el, '.summary')[0]!));
    assert(text(all(el, '.summary')[0]!).includes('search-service ×1.50'), 'three calls per search call, over both loads');
    all<HTMLButtonElement>(el, '.picker button[data-load=search]')[0]!.click();
    await el.updateComplete;
    assertEqual(all(el, '.picker button[data-load=search]')[0]!.getAttribute('aria-pressed'), 'true', 'search chosen');
    const alts = all(el, 'svg[role=img]').map((s) => s.getAttribute('aria-label') ?? '');
    assert(alts[0]!.includes('at most 6 reached search-service (all loads)'), alts[0]!);
    assert(alts[1]!.startsWith('Error rate: at most 100% in one second; 1 of 3 seconds'), alts[1]!);
    const rows = all(el, 'tbody tr').map((r) => [...r.querySelectorAll('th, td')].map(text));
    assertEqual(rows.map((r) => r.slice(0, 5)), [['0–1 s', '2', '2', '0', '0%'], ['1–2 s', '2', '0', '2', '100%'], ['2–3 s', '2', '2', '0', '0%']], 'per second: sent, ok, failed, error rate');
    assertEqual(rows.map((r) => r.at(-1)), ['6', '6', '6'], 'calls to search-service per second');
  });

  it('shows the trace up to the scrub time, on the same axis', async () => {
    const el = await mount<El>('spp-load-chart', { events: loadTrace(), time: 1000 });
    const rows = all(el, 'tbody tr').map((r) => [...r.querySelectorAll('th, td')].map(text).slice(0, 4));
    assertEqual(rows, [['0–1 s', '2', '2', '0'], ['1–2 s', '0', '0', '0'], ['2–3 s', '0', '0', '0']], 'only the first second so far');
    assertEqual(all(el, 'line.cursor').length, 4, 'the scrub time marked on every chart');
  });
});

describe('all views', () => {
  it('never schedule an update from within an update (Lit change-in-update)', () => {
    assertEqual(updateWarnings, [], 'change-in-update warnings');
  });
});
