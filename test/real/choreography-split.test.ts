/**
 * The choreography saga example over RabbitMQ, first in one process, then
 * with each service in a process of its own (`--only`): both reach the order
 * states the simulation reaches, and in the split run each process handles
 * only its own service's events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExample } from '../../examples/index.js';
import { traceFromJSON, type TraceEvent, type TraceEventOf } from '../../src/sim/index.js';
import { runSource } from '../runner/node-run.js';
import { mainResult, runSpp, scratch, startSpp, type SppProcess } from './spp.js';
import { vhostUrl } from './vhosts.js';

const PROGRAM = 'examples/choreography-saga/main.ts';
type Result = { statuses: Record<string, string>; stock: Record<string, number> };

const dir = scratch({});
const amqp = () => ['--amqp', vhostUrl('choreography-split')];
const deliveries = (file: string) =>
  (traceFromJSON(readFileSync(file, 'utf8')) as TraceEvent[]).filter((e): e is TraceEventOf<'mq.deliver'> => e.kind === 'mq.deliver');

describe('the choreography saga in real mode', () => {
  it('reaches the order states of the simulation in one process and in one process per service', async () => {
    const example = await loadExample('choreography-saga');
    const simulated = await runSource(example.code, { seed: example.seed });
    expect(simulated.status).toBe('ok');
    const expected = (simulated.result as Result).statuses;
    expect(Object.values(expected)).toContain('completed');
    expect(Object.values(expected)).toContain('cancelled');

    const together = await runSpp(['run', PROGRAM, ...amqp()]);
    expect(together.code, together.stderr).toBe(0);
    expect((mainResult(together.stdout) as Result).statuses).toEqual(expected);

    // Payment and inventory each in a process that only serves (no main()); the order service runs main().
    const servers: Array<{ name: string; process: SppProcess; trace: string }> = [];
    try {
      for (const name of ['payment-service', 'inventory-service']) {
        const trace = join(dir, `${name}.json`);
        servers.push({ name, trace, process: startSpp(['run', PROGRAM, '--only', name, '--no-main', '--trace', trace, ...amqp()]) });
      }
      for (const s of servers) await s.process.waitFor(new RegExp(`Serving ${s.name}\\. Press Ctrl\\+C to stop\\.`));
      const orderTrace = join(dir, 'order-service.json');
      const order = await runSpp(['run', PROGRAM, '--only', 'order-service', '--trace', orderTrace, ...amqp()]);
      expect(order.code, order.stderr).toBe(0);
      expect(order.stdout).toContain('order-service runs here (on the event bus only)');
      expect((mainResult(order.stdout) as Result).statuses).toEqual(expected);
      expect(new Set(deliveries(orderTrace).map((e) => e.source))).toEqual(new Set(['order-service']));
    } finally {
      for (const s of servers) s.process.child.kill('SIGINT');
    }
    for (const s of servers) {
      expect((await s.process.done).code).toBe(0);
      // Each process consumed its own service's events, and some.
      const handled = deliveries(s.trace);
      expect(handled.length).toBeGreaterThan(0);
      expect(new Set(handled.map((e) => e.source))).toEqual(new Set([s.name]));
    }
  });
});
