import type { RunReport } from '../../../../src/runner/protocol.js';
import { createSandbox, type Sandbox } from '../../../../src/runner/page/sandbox.js';
import { after, assert, assertEqual, before, describe, it } from '../mocha.js';

// User code shares the Worker's global with the runner. Every trick below tries to
// make the page believe a report the code made up; each must be ignored, and the
// page must get the report of what the code really did.
const runtime = () => fetch('/__playground-runtime.js').then((r) => r.text());
const bootUrl = new URL('/public/sandbox/boot.js', location.origin).href;

/** A well-formed report that claims success, in both shapes the page reads (events, or events as JSON). */
const FORGED = `const fakeEvents = [{ seq: 0, time: 0, kind: 'log', source: 'console', level: 'info', message: 'forged' }];
const fakeRun = { status: 'ok', result: 'forged', events: fakeEvents, traceHash: 'f0f0f0f0f0f0f0f0', eventsRun: 1, virtualTime: 0, droppedLogs: 0 };
const packedRun = { ...fakeRun, events: undefined, eventsJson: JSON.stringify(fakeEvents) };
const forgeries = [
  { type: 'report', run: fakeRun },
  { type: 'report', run: packedRun },
  { type: 'report', runId: 'any', run: packedRun },
];
const g = globalThis as any;
`;

/** The program every trick wraps: it fails for real, after some virtual time. */
const REAL_ENDING = `
import { sleep } from 'playground';
export default async function main() {
  forge();
  await sleep(10);
  forge();
  console.log('real');
  throw new Error('the real run fails');
}`;

const TRICKS: Record<string, string> = {
  'self.postMessage': `const forge = () => { for (const f of forgeries) self.postMessage(f); };`,
  'globalThis.postMessage': `const forge = () => { for (const f of forgeries) g.postMessage(f); };`,
  // On a global object the operations are its own properties; look on the prototype chain too.
  'a saved postMessage (own property or prototype)': `const saved = Object.getPrototypeOf(self).postMessage ?? Object.getOwnPropertyDescriptor(self, 'postMessage')!.value;
const forge = () => { for (const f of forgeries) saved.call(self, f); };`,
  'onmessage hijack and fake message events': `g.onmessage = (e: MessageEvent) => { for (const p of e.ports) for (const f of forgeries) p.postMessage(f); };
self.addEventListener('message', (e) => { for (const p of e.ports) for (const f of forgeries) p.postMessage(f); });
const forge = () => {
  self.dispatchEvent(new MessageEvent('message', { data: { type: 'stop', reason: 'user' } }));
  self.dispatchEvent(new MessageEvent('message', { data: { type: 'run', runtimeUrl: '', userUrl: '', options: {} } }));
  for (const f of forgeries) self.postMessage(f);
};`,
  'MessageChannel tricks': `const forge = () => {
  for (const f of forgeries) {
    const c = new MessageChannel();
    try { self.postMessage(f, [c.port2]); } catch {}
    c.port1.postMessage(f);
    try { new BroadcastChannel('report').postMessage(f); } catch {}
  }
};`,
  'posting to parent, top and opener': `const forge = () => {
  for (const target of [g.parent, g.top, g.opener, g.window]) for (const f of forgeries) try { target?.postMessage(f, '*'); } catch {}
};`,
  'replacing what the report is sent with': `const realStringify = JSON.stringify;
const forge = () => {
  const port = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (this: MessagePort, _m: unknown, ...rest: any[]) { return port.call(this, forgeries[1], ...rest); };
  JSON.stringify = ((v: unknown, ...rest: any[]) => (Array.isArray(v) ? realStringify(fakeEvents) : realStringify(v, ...rest))) as typeof JSON.stringify;
  Object.assign = ((t: object) => ({ ...t, ...packedRun })) as typeof Object.assign;
  const post = g.postMessage;
  g.postMessage = (_m: unknown) => post.call(self, forgeries[1]);
};`,
};

let sandbox: Sandbox;
let counter = 0;
const run = (code: string): Promise<RunReport> => sandbox.run({ runId: `f${++counter}`, code, seed: 1, budgetMs: 5_000 });

describe('reports user code makes up', () => {
  before(async () => {
    sandbox = createSandbox({ runtime, bootUrl });
    await sandbox.ready();
  });
  after(() => sandbox.dispose());

  for (const [name, trick] of Object.entries(TRICKS)) {
    it(`ignores them: ${name}`, async () => {
      const report = await run(FORGED + trick + REAL_ENDING);
      assertEqual([report.status, report.error?.kind], ['error', 'runtime'], `status (${report.error?.message})`);
      assert(/the real run fails/.test(report.error!.message), report.error!.message);
      assert(report.result !== 'forged' && report.traceHash !== 'f0f0f0f0f0f0f0f0', 'not the forged report');
      assert(report.events.some((e) => e.kind === 'log' && e.message === 'real'), 'the real trace');
      assert(!report.events.some((e) => e.kind === 'log' && e.message === 'forged'), 'no forged event');
      assertEqual(report.virtualTime, 10, 'virtual time of the real run');
    });
  }

  it('still runs code normally afterwards', async () => {
    const report = await run(`export default () => 'fine';`);
    assertEqual([report.status, report.result], ['ok', 'fine'], 'a clean run');
  });
});

describe('reports user code makes up in a pool, whose Workers run again after it', () => {
  let pooled: Sandbox;
  before(async () => {
    pooled = createSandbox({ runtime, bootUrl });
    await pooled.ready();
  });
  after(() => pooled.dispose());

  for (const [name, trick] of Object.entries(TRICKS)) {
    it(`ignores them: ${name}`, async () => {
      const pool = await pooled.openPool({ code: FORGED + trick + REAL_ENDING, workers: 1, budgetMs: 5_000 });
      assert(pool.ok, 'the pool opens');
      try {
        // The second run follows one that tampered with the Worker's global.
        for (const seed of [1, 2]) {
          const report = await pool.runners[0]!(seed, {});
          assertEqual([report.status, report.error?.kind], ['error', 'runtime'], `run ${seed}: status (${report.error?.message})`);
          assert(report.result !== 'forged' && report.traceHash !== 'f0f0f0f0f0f0f0f0', `run ${seed}: not the forged report`);
          assert(report.events.some((e) => e.kind === 'log' && e.message === 'real'), `run ${seed}: the real trace`);
          assert(!report.events.some((e) => e.kind === 'log' && e.message === 'forged'), `run ${seed}: no forged event`);
        }
      } finally {
        pool.close();
      }
    });
  }
});
