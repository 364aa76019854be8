import { describe, expect, it } from 'vitest';
import { runSource } from '../runner/node-run.js';

const PROGRAM = `import { invariant, http, service } from 'playground';
const payment = service('payment');
payment.get('/ok', (_req, res) => res.json({ ok: true }));
invariant('every request is answered', (trace) => {
  const asked = trace.filter((e) => e.kind === 'http.request').length;
  const answered = trace.filter((e) => e.kind === 'http.response').length;
  return asked === answered || \`\${asked - answered} request(s) never answered\`;
});
invariant('more than one request', (trace) => trace.filter((e) => e.kind === 'http.request').length > 1);
invariant('no 404', (trace) => (trace.some((e) => e.kind === 'http.response' && e.status === 404) ? 'a request got 404' : true));
invariant('reads a field that is not there', (trace) => (trace[99] as any).kind === 'x');
invariant('forgets to return', (() => {}) as any);
export default async function main() {
  await http.get('http://payment/ok');
}`;

describe('invariant()', () => {
  it('judges each registered invariant on the final trace, in order, with the failure messages', async () => {
    const run = await runSource(PROGRAM);
    expect(run.status).toBe('ok');
    expect(run.invariants).toEqual([
      { name: 'every request is answered', passed: true },
      { name: 'more than one request', passed: false, message: 'returned false' },
      { name: 'no 404', passed: true },
      { name: 'reads a field that is not there', passed: false, message: expect.stringMatching(/^threw TypeError: Cannot read properties of undefined/) },
      { name: 'forgets to return', passed: false, message: 'returned undefined: return true when it holds, or a message saying what is wrong' },
    ]);
  });

  it('a run without invariants reports none, and the registrations of one run do not leak into the next', async () => {
    expect((await runSource(PROGRAM)).invariants).toHaveLength(5); // a second run registers the same names again without complaint
    const plain = await runSource(`export default async function main() { return 1; }`);
    expect(plain.invariants).toBeUndefined();
  });

  it('judges the trace as the run left it, even when the run failed', async () => {
    const run = await runSource(`import { invariant, log } from 'playground';
invariant('logged twice', (trace) => trace.filter((e) => e.kind === 'log').length === 2 || 'logged ' + trace.filter((e) => e.kind === 'log').length + ' time(s)');
export default async function main() { log.info('once'); throw new Error('boom'); }`);
    expect(run.status).toBe('error');
    expect(run.invariants).toEqual([{ name: 'logged twice', passed: false, message: 'logged 1 time(s)' }]);
  });

  it('refuses a nameless invariant, a predicate that is not a function, and a name used twice', async () => {
    const fails = async (line: string) => (await runSource(`import { invariant } from 'playground';\n${line}`)).error?.message;
    expect(await fails(`invariant('', () => true);`)).toMatch(/give the invariant a name/);
    expect(await fails(`invariant('x', true as any);`)).toMatch(/the predicate must be a function of the trace/);
    expect(await fails(`invariant('x', () => true);\ninvariant('x', () => true);`)).toMatch(/"x"\) is registered twice/);
  });
});
