/**
 * `spp run` fails clearly and with a non-zero exit code: an unreachable
 * RabbitMQ (within 5 s, naming the URL and how to start one), a port in use,
 * an unknown service in `--only`, an import other than `playground`, a
 * syntax error, and options it does not know.
 */
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/rabbitmq.js';
import { runSpp, scratch, startSpp } from './spp.js';

const TWO_SERVICES = `import { service, http } from 'playground';
const payments = service('payment-service');
payments.post('/payments', (req) => ({ id: 'pay-1', amount: req.body.amount }));
const orders = service('order-service');
orders.post('/orders', async (req) => (await orders.http.post('http://payment-service/payments', req.body)).data);
export default async function main() {
  return (await http.post('http://order-service/orders', { amount: 5 })).data;
}
`;

const USES_BROKER = `import { amqp } from 'playground';
const conn = await amqp.connect('amqp://order-service@rabbitmq');
export default async function main() {
  await conn.close();
}
`;

const dir = scratch({
  'two-services.ts': TWO_SERVICES,
  'uses-broker.ts': USES_BROKER,
  'imports-fs.ts': `import { log } from 'playground';\nimport { readFileSync } from 'node:fs';\nlog.info(String(readFileSync));\n`,
  'syntax-error.ts': `import { log } from 'playground';\n\nconst x: number = (1 + ;\nlog.info(String(x));\n`,
  'throws.ts': `import { service } from 'playground';\nservice('a');\n\nthrow new Error('the program gave up');\n`,
});
const file = (name: string) => join(dir, name);

/** A TCP server that accepts connections and never says a word (a broker that does not answer). */
async function silentServer(): Promise<{ server: Server; port: number }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

describe('spp run fails clearly', () => {
  it('when RabbitMQ refuses the connection: names the URL and says how to start a broker', async () => {
    const url = `amqp://127.0.0.1:${await freePort()}`;
    const run = await runSpp(['run', file('uses-broker.ts'), '--amqp', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot reach RabbitMQ at ${url} (ECONNREFUSED`);
    expect(run.stderr).toMatch(/rabbitmq-server/);
    expect(run.stderr).toContain('uses-broker.ts:2:');
  });

  it('when RabbitMQ does not answer: gives up within 5 s', async () => {
    const { server, port } = await silentServer();
    servers.push(server);
    const spp = startSpp(['run', file('uses-broker.ts')], { AMQP_URL: `amqp://127.0.0.1:${port}` });
    // Timed from the program's start, not Node's.
    await spp.waitFor(/^spp: running/m);
    const started = Date.now();
    const run = await spp.done;
    const waited = Date.now() - started;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot reach RabbitMQ at amqp://127.0.0.1:${port} (no answer within 5 s)`);
    expect(waited).toBeGreaterThanOrEqual(4_500);
    // It gives up rather than waiting for the socket: ending takes a moment more on a busy machine.
    expect(waited).toBeLessThan(12_000);
  });

  it('when a service cannot listen because its port is in use', async () => {
    const { server, port } = await silentServer();
    servers.push(server);
    const run = await runSpp(['run', file('two-services.ts')], { SPP_SERVICES: `payment-service=127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Port ${port} is in use: payment-service cannot listen on 127.0.0.1:${port}`);
  });

  it('when --only names a service the program does not have', async () => {
    const run = await runSpp(['run', file('two-services.ts'), '--only', 'payment-service,billing-service', '--no-main'], {
      SPP_SERVICES: `payment-service=127.0.0.1:${await freePort()}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Unknown service 'billing-service' in --only");
    expect(run.stderr).toContain('has payment-service, order-service');
  });

  it('when --only and --no-services are both given', async () => {
    const run = await runSpp(['run', file('two-services.ts'), '--only', 'payment-service', '--no-services']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--only and --no-services cannot be used together');
  });

  it('when the program imports anything but playground: file, line and column', async () => {
    const run = await runSpp(['run', file('imports-fs.ts')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/imports-fs\.ts:2:\d+: Cannot import 'node:fs': a playground program can only import from 'playground'/);
  });

  it('when the program has a syntax error: file and line', async () => {
    const run = await runSpp(['run', file('syntax-error.ts')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/syntax-error\.ts:3:\d+: SyntaxError/);
  });

  it("when the program's code throws: the message and where", async () => {
    const run = await runSpp(['run', file('throws.ts')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error: the program gave up');
    expect(run.stderr).toContain('throws.ts:4:');
  });

  it('on an unknown option or a missing value, as command line tools do', async () => {
    const unknown = await runSpp(['run', file('two-services.ts'), '--colour']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown option '--colour'");
    const missing = await runSpp(['run', file('two-services.ts'), '--seed']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("option '--seed <seed>' argument missing");
    const scale = await runSpp(['run', file('two-services.ts'), '--time-scale', 'fast']);
    expect(scale.code).toBe(1);
    expect(scale.stderr).toContain('must be a number above 0');
  });
});
