/**
 * One program over two processes (`--only`), reaching the same result as in
 * one; and Ctrl+C (SIGINT) or SIGTERM ends a run cleanly: broker channels
 * closed, servers stopped, the trace written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { traceFromJSON, type TraceEvent } from '../../src/sim/index.js';
import { freePort } from '../support/rabbitmq.js';
import { mainResult, runSpp, scratch, startSpp } from './spp.js';

const SHOP = `import { service, http } from 'playground';

const payments = service('payment-service');
let next = 1;
payments.post('/payments', (req) => ({ id: \`pay-\${next++}\`, orderId: req.body.orderId, amount: req.body.amount, caller: req.from }));

const orders = service('order-service');
orders.post('/orders', async (req, res) => {
  const { data } = await orders.http.post('http://payment-service/payments', req.body, { timeout: 5000 });
  res.status(201).json({ orderId: req.body.orderId, payment: data });
});

export default async function main() {
  const placed = [];
  for (const [orderId, amount] of [['o-1', 10], ['o-2', 25]] as const) placed.push((await http.post('http://order-service/orders', { orderId, amount })).data);
  return placed;
}
`;

const WAITS = `import { service, amqp, sleep, log } from 'playground';

const orders = service('order-service');
orders.get('/health', () => ({ ok: true }));
const conn = await amqp.connect('amqp://order-service@rabbitmq');
const ch = await conn.createChannel();
await ch.assertQueue('spp-signal-test', { durable: false, autoDelete: true });

export default async function main() {
  log.info('waiting for a long time');
  await sleep(10 * 60_000);
}
`;

const TOP_LEVEL_ONLY = `import { log, sleep } from 'playground';
await sleep(100);
log.info('done at the top level');
`;

const dir = scratch({ 'shop.ts': SHOP, 'waits.ts': WAITS, 'top-level.ts': TOP_LEVEL_ONLY });
const readTrace = (path: string): TraceEvent[] => traceFromJSON(readFileSync(path, 'utf8'));

describe('--only', () => {
  it('splits a two-service program over two processes with the same result as one process', async () => {
    const together = await runSpp(['run', join(dir, 'shop.ts')]);
    expect(together.code, together.stderr).toBe(0);

    const services = `payment-service=127.0.0.1:${await freePort()},order-service=127.0.0.1:${await freePort()}`;
    const paymentTrace = join(dir, 'payment-trace.json');
    const payment = startSpp(['run', join(dir, 'shop.ts'), '--only', 'payment-service', '--no-main', '--trace', paymentTrace], { SPP_SERVICES: services });
    try {
      await payment.waitFor(/Serving payment-service\. Press Ctrl\+C to stop\./);
      const order = await runSpp(['run', join(dir, 'shop.ts'), '--only', 'order-service'], { SPP_SERVICES: services });
      expect(order.code, order.stderr).toBe(0);
      expect(mainResult(order.stdout)).toEqual(mainResult(together.stdout));
      expect(mainResult(order.stdout)).toEqual([
        { orderId: 'o-1', payment: { id: 'pay-1', orderId: 'o-1', amount: 10, caller: 'order-service' } },
        { orderId: 'o-2', payment: { id: 'pay-2', orderId: 'o-2', amount: 25, caller: 'order-service' } },
      ]);
    } finally {
      payment.child.kill('SIGINT');
    }
    const stopped = await payment.done;
    expect(stopped.code).toBe(0);
    // The serving process recorded the requests that came from the other one.
    const served = readTrace(paymentTrace).filter((e) => e.kind === 'http.request' || e.kind === 'http.response');
    expect(served.map((e) => `${e.kind} ${e.source}→${e.target}`)).toEqual([
      'http.request order-service→payment-service',
      'http.response payment-service→order-service',
      'http.request order-service→payment-service',
      'http.response payment-service→order-service',
    ]);
  });
});

describe('stopping a run', () => {
  it('is not needed for a program without main() and nothing to serve: it ends by itself', async () => {
    const run = await runSpp(['run', join(dir, 'top-level.ts')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('INFO  done at the top level');
    expect(run.stdout).not.toContain('Press Ctrl+C');
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} closes the broker channel, stops the servers and writes the trace`, async () => {
      const trace = join(dir, `${signal}.json`);
      const port = await freePort();
      const run = startSpp(['run', join(dir, 'waits.ts'), '--trace', trace, '--amqp', inject('amqpUrl')], { SPP_SERVICES: `order-service=127.0.0.1:${port}` });
      await run.waitFor(/order-service listens on port/);
      run.child.kill(signal);
      const result = await run.done;
      expect(result.code).toBe(code);
      expect(result.stdout).toContain('Stopped before the program finished.');
      expect(result.stdout).toContain(`events written to ${trace}`);
      const events = readTrace(trace);
      expect(events.some((e) => e.kind === 'log' && e.message === 'waiting for a long time')).toBe(true);
      expect(events.filter((e) => e.kind === 'mq.channel').map((e) => (e.kind === 'mq.channel' ? e.action : ''))).toEqual(['open', 'close']);
      // The port is free again: the server stopped.
      const again = startSpp(['run', join(dir, 'shop.ts'), '--no-main', '--only', 'order-service'], { SPP_SERVICES: `order-service=127.0.0.1:${port}` });
      await again.waitFor(new RegExp(`order-service listens on port ${port}`));
      again.child.kill('SIGTERM');
      expect((await again.done).code).toBe(0);
    });
  }
});
