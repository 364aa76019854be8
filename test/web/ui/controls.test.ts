import '../../../src/ui/example-picker.js';
import '../../../src/ui/fault-panel.js';
import '../../../src/ui/lesson-panel.js';
import '../../../src/ui/run-toolbar.js';
import type { FaultPlan } from '../../../src/sim/faults.js';
import { validateFaultPlan } from '../../../src/sim/faults.js';
import { afterEach, all, assert, assertEqual, cleanup, describe, it, mount, next, waitFor } from './harness.js';

type El = HTMLElement & { updateComplete: Promise<boolean> };
const shadow = (el: Element, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector)!;
const setInput = (input: HTMLInputElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
};

describe('<spp-example-picker>', () => {
  afterEach(cleanup);

  it('groups examples by topic in course order, shows progress, and selects on click', async () => {
    const el = await mount<El>('spp-example-picker', {
      items: [
        { id: 'b', title: 'Second', topic: 'Resilience', order: 2, passed: 3, total: 3, edited: false },
        { id: 'a', title: 'First', topic: 'Messaging', order: 1, passed: 1, total: 4, edited: true },
      ],
      selected: 'a',
    });
    assertEqual(all(el, 'h2').map((h) => h.textContent), ['Messaging', 'Resilience'], 'topics in order');
    assertEqual(shadow(el, '[data-example="a"]').getAttribute('aria-current'), 'true', 'selected');
    assert(shadow(el, '[data-example="b"] .p.done').textContent!.includes('3/3'), 'solved example marked done');
    assert(shadow(el, '[data-example="a"] .edited') !== null, 'edited marker');
    const got = next<{ id: string }>(el, 'example-select');
    shadow(el, '[data-example="b"]').click();
    assertEqual((await got).id, 'b', 'example-select id');
  });
});

describe('<spp-fault-panel>', () => {
  afterEach(cleanup);

  it('turns typed values into a valid fault plan', async () => {
    const el = await mount<El>('spp-fault-panel', { plan: {}, services: ['payment', 'orders'], queues: ['jobs'] });
    let got = next<{ plan: FaultPlan }>(el, 'faults-change');
    setInput(shadow(el, 'input[aria-label="payment error rate in percent"]') as HTMLInputElement, '25');
    let plan = (await got).plan;
    assertEqual(plan, { services: { payment: { errorRate: 0.25 } } }, 'error rate in the plan');
    assertEqual(validateFaultPlan(plan), [], 'valid');
    await mountPlan(el, plan);
    got = next<{ plan: FaultPlan }>(el, 'faults-change');
    setInput(shadow(el, 'input[aria-label="jobs duplicate deliveries, percent"]') as HTMLInputElement, '10');
    plan = (await got).plan;
    assertEqual(plan.queues, { jobs: { duplicateRate: 0.1 } }, 'queue fault');
    assertEqual(plan.services, { payment: { errorRate: 0.25 } }, 'earlier fault kept');
  });

  it('fits a phone and the views column: each service on a line of its own, every field under its heading', async () => {
    const services = ['order-orchestrator', 'payment-service', 'inventory-service'];
    const queues = ['payment-service.OrderCreated'];
    for (const width of [360, 500, 280]) {
      const el = await mount<El>('spp-fault-panel', { plan: {}, services, queues }, width);
      assert(el.scrollWidth <= el.clientWidth + 1, `the panel is ${el.scrollWidth} px wide in a ${width} px box`);
      for (const table of ['services', 'queues']) {
        const scroller = shadow(el, `table.${table}`).closest('.scroll') as HTMLElement;
        assert(scroller.scrollWidth <= scroller.clientWidth + 1, `at ${width} px the ${table} need ${scroller.scrollWidth} px of ${scroller.clientWidth}: they scroll sideways`);
        const heads = all<HTMLElement>(el, `table.${table} thead th`).slice(1);
        for (const row of all<HTMLElement>(el, `table.${table} tbody tr`)) {
          const name = row.querySelector('th')!.getBoundingClientRect();
          [...row.querySelectorAll('input')].forEach((input, i) => {
            const f = input.getBoundingClientRect();
            const h = heads[i]!.getBoundingClientRect();
            const mid = (f.left + f.right) / 2;
            assert(mid > h.left && mid < h.right, `at ${width} px ${input.getAttribute('aria-label')} (${f.left}–${f.right}) is not under "${heads[i]!.textContent}" (${h.left}–${h.right})`);
            assert(f.top >= name.bottom - 1, `at ${width} px ${input.getAttribute('aria-label')} is on a line below the name`);
            assert(f.right <= scroller.getBoundingClientRect().right + 1 && f.width >= 40, `at ${width} px ${input.getAttribute('aria-label')} is in view and wide enough to type in (${f.width} px)`);
          });
        }
      }
      cleanup();
    }
    // Wide enough for every column: a service and its fields share one line.
    const wide = await mount<El>('spp-fault-panel', { plan: {}, services, queues }, 900);
    const row = shadow(wide, 'tr[data-service="order-orchestrator"]');
    const tops = [row.querySelector('th')!, ...row.querySelectorAll('input')].map((c) => c.getBoundingClientRect());
    assert(tops.every((r) => r.top < tops[0]!.bottom && r.bottom > tops[0]!.top), 'one line per service at 900 px');
  });

  it('offers what earlier runs had and the last did not, marked as such, and takes faults on it', async () => {
    const plan: FaultPlan = { services: { stock: { down: [{ from: 0, to: 1000 }] } } };
    const el = await mount<El>('spp-fault-panel', { plan, services: ['orders'], queues: [], earlier: { services: ['payment'], queues: ['jobs'] }, ran: true });
    const header = (sel: string) => shadow(el, sel).querySelector('th')!.textContent!.replace(/\s+/g, ' ').trim();
    assertEqual(header('tr[data-service="orders"]'), 'orders', 'a service of the last run');
    // A service the plan alone names (one that only consumes messages is never called) is not marked.
    assertEqual(header('tr[data-service="stock"]'), 'stock', 'a service of the plan');
    assertEqual(header('tr[data-service="payment"]'), 'payment not called in the last run', 'a service only earlier runs had');
    assertEqual(header('tr[data-queue="jobs"]'), 'jobs not used in the last run', 'a queue only earlier runs had');
    const got = next<{ plan: FaultPlan }>(el, 'faults-change');
    setInput(shadow(el, 'input[aria-label="payment error rate in percent"]') as HTMLInputElement, '50');
    assertEqual((await got).plan, { services: { ...plan.services, payment: { errorRate: 0.5 } } }, 'a fault on it');
  });

  it('says why it lists no services: no run yet, or a run without HTTP calls', async () => {
    const before = await mount<El>('spp-fault-panel', { plan: {}, services: [], queues: [] });
    assert(shadow(before, 'p.muted').textContent!.includes('Run the code once'), 'before any run');
    const after = await mount<El>('spp-fault-panel', { plan: {}, services: [], queues: ['payment-service.OrderCreated'], ran: true });
    const said = shadow(after, 'p.muted').textContent!;
    assert(said.includes('made no HTTP calls') && !said.includes('Run the code once'), `after a run with messages only: ${said}`);
  });

  it('flags out-of-range values where they are typed and leaves the plan alone', async () => {
    const el = await mount<El>('spp-fault-panel', { plan: { services: { payment: { errorRate: 0.5 } } }, services: ['payment'] });
    let emitted = false;
    el.addEventListener('faults-change', () => (emitted = true));
    const input = shadow(el, 'input[aria-label="payment error rate in percent"]') as HTMLInputElement;
    setInput(input, '150');
    await el.updateComplete;
    assert(!emitted, 'no plan for an invalid value');
    assertEqual(input.getAttribute('aria-invalid'), 'true', 'field marked invalid');
    assert(shadow(el, '[role=alert]').textContent!.includes('at most 100 %'), 'message says what is wrong');
  });
});

async function mountPlan(el: El, plan: FaultPlan): Promise<void> {
  (el as unknown as { plan: FaultPlan }).plan = plan;
  await el.updateComplete;
}

describe('<spp-lesson-panel>', () => {
  afterEach(cleanup);

  it('shows a solution only after a confirmation, and offers to load it', async () => {
    const el = await mount<El>('spp-lesson-panel', {
      heading: 'Timeouts',
      objectives: ['Bound a wait'],
      lesson: '## Why\nA *slow* call holds `everything`.',
      exercises: [{ id: 'ex1', title: 'Add a timeout', task: 'Do it.', hint: 'Use `timeout`.', solution: 'SOLUTION-CODE', checks: [], solved: false }],
    });
    assert(!el.shadowRoot!.textContent!.includes('SOLUTION-CODE'), 'solution hidden at first');
    shadow(el, '[data-show-solution]').click();
    await el.updateComplete;
    assert(!el.shadowRoot!.textContent!.includes('SOLUTION-CODE'), 'still hidden while asking');
    shadow(el, '[data-confirm-solution]').click();
    await el.updateComplete;
    assert(el.shadowRoot!.textContent!.includes('SOLUTION-CODE'), 'shown after confirming');
    const got = next<{ exerciseId: string; code: string }>(el, 'load-solution');
    all<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.includes('Load solution'))!.click();
    assertEqual((await got).code, 'SOLUTION-CODE', 'load-solution carries the code');
    await waitFor(() => el.shadowRoot!.querySelector('em') !== null, 'the lesson markdown');
    assert(shadow(el, 'em').textContent === 'slow' && shadow(el, 'code').textContent === 'everything', 'lesson markdown rendered as elements');
  });

  it('renders lesson tables, and leaves a script, an image with onerror and a javascript: link inert', async () => {
    const w = window as unknown as { lessonAttack?: number };
    const el = await mount<El>('spp-lesson-panel', {
      heading: 'Attacks',
      lesson: [
        '## Calls',
        '',
        '| call | what the broker does |',
        '|---|---|',
        '| `ack(msg)` | forgets the message |',
        '',
        '<script>window.lessonAttack = 1</script>',
        '',
        'A picture: <img src="x" onerror="window.lessonAttack = 2">',
        '',
        '[click me](javascript:window.lessonAttack=3) and [the docs](https://example.org/amqp)',
      ].join('\n'),
      exercises: [{ id: 'ex1', title: 'Try', task: 'Do <b onmouseover="x()">it</b>.', hint: '1. First', solution: '', checks: [], solved: false }],
    });
    await waitFor(() => el.shadowRoot!.querySelector('table') !== null, 'the lesson table');
    assertEqual(all(el, 'th').map((c) => c.textContent), ['call', 'what the broker does'], 'table header');
    assertEqual(all(el, 'td code').map((c) => c.textContent), ['ack(msg)'], 'inline code in a cell');
    assertEqual(all(el, 'script, img, b, [onerror], [onmouseover]').length, 0, 'no element from raw HTML');
    const text = el.shadowRoot!.textContent!;
    assert(text.includes('<script>window.lessonAttack = 1</script>') && text.includes('onerror='), 'raw HTML shown as text');
    // The lesson's own links (the panel adds its link to the pattern reference beside them).
    assertEqual(all<HTMLAnchorElement>(el, '.md a').map((a) => [a.textContent, a.getAttribute('href'), a.target, a.rel]), [['the docs', 'https://example.org/amqp', '_blank', 'noopener']], 'only the https link is a link');
    assert(text.includes('click me'), 'the javascript: link keeps its text');
    await new Promise((r) => setTimeout(r, 50));
    assertEqual(w.lessonAttack, undefined, 'nothing ran');
  });
});

describe('<spp-run-toolbar>', () => {
  afterEach(cleanup);

  it('asks for a run, and refuses a malformed seed with a message', async () => {
    const el = await mount<El>('spp-run-toolbar', { seed: 'abc', running: false });
    const run = next(el, 'run-request');
    shadow(el, '[data-action=run]').click();
    await run;
    let seeds = 0;
    el.addEventListener('seed-change', () => seeds++);
    setInput(shadow(el, '[data-action=seed]') as HTMLInputElement, 'not a seed!');
    await el.updateComplete;
    assertEqual(seeds, 0, 'no seed-change for a bad seed');
    assert(shadow(el, '[role=alert]').textContent!.includes('1–32 letters'), 'seed message');
    const got = next<{ seed: string }>(el, 'seed-change');
    setInput(shadow(el, '[data-action=seed]') as HTMLInputElement, 'seed-42');
    assertEqual((await got).seed, 'seed-42', 'good seed accepted');
  });

  it('on a phone, shows the whole status line of the last run (in two lines), not its first half', async () => {
    const summary = { status: 'ok', message: 'Finished', wallMs: 134, events: 78, virtualTime: 7280 };
    const el = await mount<El>('spp-run-toolbar', { seed: 'abc', running: false, compact: true, summary }, 220);
    el.setAttribute('compact', '');
    await el.updateComplete;
    const status = shadow(el, '.status');
    assertEqual(status.textContent, 'Finished · 134 ms · 78 events · 7.28 s virtual', 'the text');
    await waitFor(() => status.scrollWidth <= status.clientWidth + 1 && status.scrollHeight <= status.clientHeight + 1, `all of it shown (${status.scrollWidth}×${status.scrollHeight} in ${status.clientWidth}×${status.clientHeight})`);
    // Where it wraps, a figure keeps its unit: "7.28 s virtual" never breaks after "7.28".
    for (const figure of ['134 ms', '78 events', '7.28 s virtual']) {
      const node = [...status.querySelectorAll('*')].find((e) => e.textContent === figure);
      assert(node !== undefined, `"${figure}" is one piece of the line`);
      const range = document.createRange();
      range.selectNodeContents(node!);
      assertEqual(new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, 1, `"${figure}" on one line`);
    }
    const line = parseFloat(getComputedStyle(status).fontSize) * 1.6;
    assert(status.getBoundingClientRect().height < 2.5 * line, `two lines at most (${status.getBoundingClientRect().height} px)`);
    // A long one is cut after two lines, not grown into a tall header.
    (el as unknown as { summary: unknown }).summary = { ...summary, status: 'error', message: `Error on line 12: ${'x'.repeat(300)}` };
    await el.updateComplete;
    assert(status.getBoundingClientRect().height < 2.5 * line, `a long status stays within two lines (${status.getBoundingClientRect().height} px)`);
  });
});
