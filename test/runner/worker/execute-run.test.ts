import { describe, expect, it } from 'vitest';
import { formatConsoleArgs } from '../../../src/runner/worker/console-capture.js';
import { DETERMINISM_FIXTURES } from '../fixtures.js';
import { runSource } from '../node-run.js';

const kinds = (events: readonly { kind: string }[]) => events.map((e) => e.kind);

describe('executeRun in Node', () => {
  it('returns what main resolved to, after its services answered in virtual time', async () => {
    const run = await runSource(`import { service, http, sleep } from 'playground';
const payment = service('payment');
payment.post('/payments', async (req, res) => {
  await sleep(120);
  res.status(201).json({ id: 'pay-1', amount: req.body.amount });
});
export default async function main(): Promise<{ id: string; amount: number }> {
  const { data } = await http.post('http://payment/payments', { amount: 42 });
  return data;
}`);
    expect(run.status).toBe('ok');
    expect(run.result).toEqual({ id: 'pay-1', amount: 42 });
    expect(kinds(run.events)).toEqual(['http.request', 'http.response']);
    expect(run.virtualTime).toBe(122);
    expect(run.error).toBeUndefined();
  });

  it('runs setTimeout, Date and Math.random on the virtual clock and the seed', async () => {
    const code = `const started = Date.now();
export default async function main() {
  await new Promise((resolve) => setTimeout(resolve, 3_600_000));
  return { elapsed: Date.now() - started, iso: new Date().toISOString(), r: Math.random() };
}`;
    const t0 = performance.now();
    const a = await runSource(code, { seed: 'a' });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(a.result).toMatchObject({ elapsed: 3_600_000, iso: '2024-01-01T01:00:00.000Z' });
    const again = await runSource(code, { seed: 'a' });
    const other = await runSource(code, { seed: 'b' });
    expect((again.result as { r: number }).r).toBe((a.result as { r: number }).r);
    expect((other.result as { r: number }).r).not.toBe((a.result as { r: number }).r);
    // Real timers are back afterwards.
    expect(await new Promise((r) => setTimeout(() => r('real'), 1))).toBe('real');
  });

  it('turns console output into log events from source console', async () => {
    const original = console.log;
    const run = await runSource(`console.log('total', 3, { items: [1, 2] });
console.info('%s has %d items', 'cart', 2);
console.debug('details');
console.warn('slow');
console.error(new TypeError('bad input'));`);
    expect(run.events.map((e) => (e.kind === 'log' ? [e.source, e.level, e.message] : e.kind))).toEqual([
      ['console', 'info', 'total 3 {"items":[1,2]}'],
      ['console', 'info', 'cart has 2 items'],
      ['console', 'debug', 'details'],
      ['console', 'warn', 'slow'],
      ['console', 'error', 'TypeError: bad input'],
    ]);
    expect(console.log).toBe(original);
  });

  it('caps a flood of log lines with one note and counts the rest', async () => {
    const run = await runSource(`for (let i = 0; i < 20_000; i++) console.log('line', i);
export default function main() { return 'still here'; }`);
    expect(run.status).toBe('ok');
    expect(run.result).toBe('still here');
    expect(run.events).toHaveLength(5_001);
    expect(run.events[5_000]).toMatchObject({ kind: 'log', source: 'runner', level: 'warn' });
    expect(run.droppedLogs).toBe(15_000);
  });

  it('reports an error thrown by main at its TypeScript line', async () => {
    const run = await runSource(`import { sleep } from 'playground';
interface Payment { amount: number }

export default async function main(): Promise<void> {
  await sleep(50);
  const p: Payment = { amount: -1 };
  if (p.amount < 0) throw new RangeError('amount must be positive');
}`);
    expect(run.status).toBe('error');
    expect(run.error).toMatchObject({ kind: 'runtime', message: 'RangeError: amount must be positive', line: 7 });
    expect(run.error?.stack).toMatch(/^RangeError: amount must be positive\n {4}at main \(main\.ts:7:\d+\)$/);
    expect(run.events.at(-1)).toMatchObject({ kind: 'error', source: 'world', line: 7, time: 50 });
  });

  it('reports an error thrown in a timer callback and stops the run there', async () => {
    const run = await runSource(DETERMINISM_FIXTURES['timer-error']!.code, { seed: 7 });
    expect(run.status).toBe('error');
    expect(run.error).toMatchObject({ kind: 'runtime', line: 5 });
    expect(run.error?.message).toMatch(/^Error: timer failed with 0\.\d{3}$/);
    expect(run.virtualTime).toBe(500);
    expect(run.result).toBeUndefined();
  });

  it('ends the run on an unhandled rejection with a clear message', async () => {
    const run = await runSource(`import { sleep } from 'playground';
async function audit(): Promise<void> { await sleep(10); throw new Error('audit log unavailable'); }
export default async function main() {
  audit(); // forgotten await
  for (let i = 1; i <= 10; i++) { await sleep(100); console.log('step', i); }
  return 'done';
}`);
    expect(run.status).toBe('error');
    expect(run.error).toMatchObject({ kind: 'unhandled', message: 'Unhandled promise rejection: Error: audit log unavailable', line: 2 });
    expect(run.result).toBeUndefined();
    expect(run.virtualTime).toBeLessThan(1_000);
    expect(run.events.filter((e) => e.kind === 'log').length).toBeLessThan(10);
  });

  it('reports an error in top-level code, and endless recursion, clearly', async () => {
    const top = await runSource(`const config: { port?: number } = {};\nconst port = config.port!.toFixed(0);`);
    expect(top.error).toMatchObject({ kind: 'runtime', line: 2 });
    expect(top.error?.message).toMatch(/^TypeError: /);
    const deep = await runSource(`function visit(n: number): number { return visit(n + 1) + 1; }\nexport default function main() { return visit(0); }`);
    expect(deep.status).toBe('error');
    expect(deep.error).toMatchObject({ kind: 'stack-overflow', line: 1 });
    expect(deep.error?.message).toMatch(/Maximum call stack size exceeded \(endless or too deep recursion\)/);
  });

  it('lets top-level code await virtual time before main runs', async () => {
    const run = await runSource(`import { service, http, sleep } from 'playground';
const stock = service('stock');
stock.get('/count', () => ({ count: 3 }));
await sleep(250);
const { data } = await http.get('http://stock/count');
console.log('warmed up with', data.count);
export default async function main() { await sleep(50); return data.count * 2; }`);
    expect(run.status).toBe('ok');
    expect(run.result).toBe(6);
    expect(run.virtualTime).toBe(302);
    expect(kinds(run.events)).toEqual(['http.request', 'http.response', 'log']);
  });

  it('says when top-level code waits for something that never happens', async () => {
    const run = await runSource(`await new Promise(() => {});\nexport default () => 1;`, { loadIdleLimitMs: 100 });
    expect(run.status).toBe('error');
    expect(run.error?.kind).toBe('unfinished');
  });

  it('reports a syntax error only the engine finds as a syntax error', async () => {
    const run = await runSource(`let total = 1;\nlet total = 2;\nexport default () => total;`);
    expect(run.status).toBe('error');
    expect(run.error?.kind).toBe('syntax');
    expect(run.error?.message).toMatch(/^SyntaxError: .*total/);
  });

  it('says when main waits for something that never happens, and at which await', async () => {
    const run = await runSource(`import { sleep } from 'playground';
export default async function main(): Promise<void> {
  await sleep(10);
  await new Promise<void>(() => {});
}`);
    expect(run.status).toBe('error');
    expect(run.error).toMatchObject({ kind: 'unfinished' });
    expect(run.error?.message).toMatch(/^main\(\) never finished: it is waiting for a promise that never settles\. The simulation had nothing left to do at virtual time 10 ms\. main\(\) is stopped at one of its awaits, on lines 3 and 4\./);
    const one = await runSource(`export default async function main() {\n  const never = new Promise(() => {});\n  await never;\n}`);
    expect(one.error).toMatchObject({ kind: 'unfinished', line: 3 });
    expect(one.error?.message).toMatch(/main\(\) waits at the await on line 3\./);
  });

  it('says when a top-level await of main waits forever, pointing at the await in main', async () => {
    const run = await runSource(
      `async function main(): Promise<void> {\n  console.log('started');\n  await new Promise<void>((resolve) => { /* resolve is never called */ });\n}\n\nawait main();\n`,
      { loadIdleLimitMs: 50 },
    );
    expect(run.status).toBe('error');
    expect(run.error).toMatchObject({ kind: 'unfinished', line: 3 });
    expect(run.error?.message).toMatch(/^main\(\) never finished: it is waiting for a promise that never settles\. It was called by the top-level await on line 6\./);
    expect(run.error?.message).toMatch(/main\(\) waits at the await on line 3\./);
    expect(run.error?.message).not.toMatch(/top-level code was still running/);
  });

  it('names errors about memory as such', async () => {
    for (const code of ['export default () => { const a: number[] = []; a.length = 2 ** 32; };', 'export default () => new ArrayBuffer(2 ** 53);', "export default () => 'x'.repeat(2 ** 30);"]) {
      const run = await runSource(code);
      expect([run.status, run.error?.kind], `${code}: ${run.error?.message}`).toEqual(['error', 'memory']);
    }
  });

  it('ends an endless interval on the event budget, deterministically', async () => {
    const code = `let n = 0;\nsetInterval(() => { n++; if (n % 100 === 0) console.log('tick', n); }, 5);`;
    const a = await runSource(code, { maxEvents: 1_000 });
    const b = await runSource(code, { maxEvents: 1_000 });
    expect(a.status).toBe('budget');
    expect(a.error?.kind).toBe('budget');
    expect([a.eventsRun, a.virtualTime, a.events.length]).toEqual([1_000, 5_000, 10]);
    expect(b.traceHash).toBe(a.traceHash);
  });

  it('stops at the horizon with main still waiting, without calling it an error', async () => {
    const run = await runSource(`setInterval(() => {}, 100);\nexport default async function main() { await new Promise(() => {}); }`, { horizon: 1_000 });
    expect(run.status).toBe('ok');
    expect(run.virtualTime).toBe(1_000);
  });

  describe('when the run is asked to stop', () => {
    // The program pulls the abort itself (through a global the test puts there), so it lands at a known virtual time.
    const withAbort = async (code: string, reason: 'user' | 'timeout') => {
      const controller = new AbortController();
      const g = globalThis as { stopThisRun?: () => void };
      g.stopThisRun = () => controller.abort(reason);
      try {
        return await runSource(code, { signal: controller.signal, budgetMs: 2_000, maxEvents: 1_000_000 });
      } finally {
        delete g.stopThisRun;
      }
    };
    const stopAt100 = `import { sleep } from 'playground';
declare const stopThisRun: () => void;
setInterval(() => {}, 10);`;

    it('reports Stop with the virtual time and callbacks so far, and keeps the trace', async () => {
      const run = await withAbort(`${stopAt100}
export default async function main() { console.log('started'); await sleep(100); stopThisRun(); }`, 'user');
      expect(run.status).toBe('stopped');
      expect(run.error).toEqual({ kind: 'stopped', message: 'You stopped the run at virtual time 100 ms, after 10 callbacks; what it did until then is shown.' });
      expect(run.events.map((e) => e.kind)).toEqual(['log']);
    });

    it('says whether the wall-clock budget ran out in top-level code or later in the run', async () => {
      const inTopLevel = await withAbort(`${stopAt100}\nawait sleep(100);\nstopThisRun();\nawait sleep(1e9);`, 'timeout');
      expect(inTopLevel.status).toBe('timeout');
      expect(inTopLevel.error?.message).toBe(
        "The module's top-level code was still busy when the time limit of 2,000 ms ran out, and was stopped at virtual time 100 ms after 10 callbacks. Shorten the scenario, or set a horizon.",
      );
      const inMain = await withAbort(`${stopAt100}\nexport default async function main() { await sleep(100); stopThisRun(); }`, 'timeout');
      expect(inMain.status).toBe('timeout');
      expect(inMain.error?.message).toMatch(/^The simulation was still busy when the time limit of 2,000 ms ran out, and was stopped at virtual time 100 ms after 10 callbacks\./);
    });

    it('reports an error thrown after the stop rather than the stop', async () => {
      const run = await withAbort(`${stopAt100}\nexport default async function main() { await sleep(100); stopThisRun(); throw new Error('after the stop'); }`, 'user');
      expect(run.status).toBe('error');
      expect(run.error).toMatchObject({ kind: 'runtime', message: 'Error: after the stop' });
    });
  });

  it('ends the run when the trace is full, even in a synchronous loop', async () => {
    const run = await runSource(`import { log } from 'playground';
export default async function main() { for (;;) log.info('again'); }`, { maxTraceEvents: 50, maxLogEvents: 1_000 });
    expect(run.status).toBe('budget');
    expect(run.error).toEqual({ kind: 'budget', message: 'The run produced more than 50 trace events and was stopped.' });
    expect(run.events).toHaveLength(50);
  });

  it('reports an invalid fault plan instead of running', async () => {
    const run = await runSource(`import { service } from 'playground';\nservice('a');`, { faults: { services: { a: { errorRate: 2 } } } });
    expect(run.status).toBe('error');
    expect(run.error?.message).toMatch(/^Invalid fault plan: /);
  });

  it('gives the same trace and hash for the same code, seed and faults, and the next run is unaffected', async () => {
    for (const f of Object.values(DETERMINISM_FIXTURES)) {
      const options = { seed: f.seed, ...(f.faults ? { faults: f.faults } : {}) };
      const a = await runSource(f.code, options);
      const b = await runSource(f.code, options);
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.events).toEqual(a.events);
      expect(JSON.stringify(a.events)).not.toMatch(/\/tmp\/|file:/);
    }
    const orders = await runSource(DETERMINISM_FIXTURES['orders-with-retries']!.code, {
      seed: 'fixture-1',
      faults: DETERMINISM_FIXTURES['orders-with-retries']!.faults!,
    });
    expect(orders.status).toBe('ok');
    expect(kinds(orders.events)).toContain('fault');
    expect(orders.events.some((e) => e.kind === 'log' && e.source === 'console' && e.level === 'warn')).toBe(true);
  });
});

describe('formatConsoleArgs', () => {
  it('formats values the same way in every host', () => {
    expect(formatConsoleArgs(['a', 1, true, null, undefined, 2n])).toBe('a 1 true null undefined 2n');
    expect(formatConsoleArgs([{ a: [1, { b: 'x' }] }, new Date(0), new Map([['k', 1]]), new Set([1])])).toBe(
      '{"a":[1,{"b":"x"}]} 1970-01-01T00:00:00.000Z Map(1) {"k":1} Set(1) [1]',
    );
    const loop: Record<string, unknown> = { name: 'loop' };
    loop['self'] = loop;
    expect(formatConsoleArgs([loop])).toBe('{"name":"loop","self":"[Circular]"}');
    expect(formatConsoleArgs(['%s=%d%%', 'x', 4.5, 'rest'])).toBe('x=4.5% rest');
    expect(formatConsoleArgs(['x'.repeat(5_000)])).toMatch(/… \(1000 more characters cut\)$/);
  });
});
