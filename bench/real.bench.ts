/**
 * Real mode's overhead (`npm run bench -- real`): the same work through the
 * playground module on the real host and through the bare library, side by
 * side in one run, against a throwaway RabbitMQ node on loopback.
 *
 * - publish → consume → ack of N small messages: amqplib's channel, and the
 *   playground's `amqp.connect` on the real host (amqplib with every step
 *   recorded as trace events and counted for `queueStats`);
 * - the event bus (publish with confirm, JSON, subscribe, ack), and the same
 *   with a bare amqplib confirm channel;
 * - sequential HTTP calls: a `node:http` server and client, and a playground
 *   service (Express) called through the playground's `http` client.
 *
 * The two sides of a pair run alternately and each figure is the median, so
 * a machine busy with other work slows both alike. Skipped, saying so, when
 * RabbitMQ is not installed.
 */
import { createServer, request, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { connect as amqplibConnect, type ChannelModel } from 'amqplib';
import * as playground from '../src/playground/index.js';
import { setCurrentHost } from '../src/playground/host.js';
import { RealHost } from '../src/real/real-host.js';
import { ServiceDirectory } from '../src/real/service-directory.js';
import { rabbitMissing, startRabbit, type RabbitNode } from '../test/support/rabbitmq.js';
import { report } from './util.js';

const MESSAGES = 5_000;
const EVENTS = 1_000;
const CALLS = 300;
const RUNS = 5;

/** Median ms of each workload, run in turn round after round (one warm-up round first). */
async function sideBySide(...workloads: Array<() => Promise<void>>): Promise<number[]> {
  const times: number[][] = workloads.map(() => []);
  for (let round = 0; round <= RUNS; round++) {
    for (const [i, fn] of workloads.entries()) {
      const t0 = performance.now();
      await fn();
      if (round > 0) times[i]!.push(performance.now() - t0);
    }
  }
  return times.map((xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!);
}

/** The consumer side of one publish → consume → ack round: resolves when `n` messages were acked. */
interface AmqpChannelLike {
  assertQueue(queue: string, options?: object): Promise<unknown>;
  consume(queue: string, fn: (msg: any) => void): Promise<{ consumerTag: string }>;
  cancel(tag: string): Promise<unknown>;
  ack(msg: any): void;
  sendToQueue(queue: string, content: Buffer): boolean;
  prefetch(n: number): Promise<unknown>;
}

let round = 0;
async function pubConsumeAck(ch: AmqpChannelLike, n: number): Promise<void> {
  const queue = `bench-${++round}`;
  await ch.assertQueue(queue, { durable: false, autoDelete: true });
  await ch.prefetch(100);
  let acked = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const { consumerTag } = await ch.consume(queue, (msg) => {
    if (!msg) return;
    ch.ack(msg);
    if (++acked === n) done();
  });
  const payload = Buffer.from('{"orderId":1,"total":42}');
  for (let i = 0; i < n; i++) ch.sendToQueue(queue, payload);
  await all;
  await ch.cancel(consumerTag);
}

type Placed = playground.BusEvent<'OrderPlaced', { orderId: number }>;

async function busRound(publisher: playground.EventBus<Placed>, subscriber: playground.EventBus<Placed>): Promise<void> {
  let seen = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const sub = await subscriber.subscribe('OrderPlaced', () => void (++seen === EVENTS && done()), { queue: `bench-bus-${++round}`, prefetch: 100 });
  await Promise.all(Array.from({ length: EVENTS }, (_, i) => publisher.publish({ eventType: 'OrderPlaced', data: { orderId: i } })));
  await all;
  await sub.cancel();
}

/** The bus's work on a bare confirm channel: JSON events to a topic exchange, confirmed, consumed and acked. */
async function bareBusRound(conn: ChannelModel): Promise<void> {
  const pub = await conn.createConfirmChannel();
  const sub = await conn.createChannel();
  const queue = `bench-bare-${++round}`;
  await pub.assertExchange('bench-events', 'topic', { durable: true });
  await sub.assertQueue(queue, { durable: false, autoDelete: true });
  await sub.bindQueue(queue, 'bench-events', 'OrderPlaced');
  await sub.prefetch(100);
  let seen = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  await sub.consume(queue, (msg) => {
    if (!msg) return;
    JSON.parse(msg.content.toString('utf8'));
    sub.ack(msg);
    if (++seen === EVENTS) done();
  });
  await Promise.all(
    Array.from(
      { length: EVENTS },
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          const body = JSON.stringify({ eventType: 'OrderPlaced', eventId: `e-${round}-${i}`, timestamp: new Date().toISOString(), data: { orderId: i } });
          pub.publish('bench-events', 'OrderPlaced', Buffer.from(body), { persistent: true, messageId: `e-${i}`, contentType: 'application/json' }, (err) => (err ? reject(err) : resolve()));
        }),
    ),
  );
  await all;
  await Promise.all([pub.close(), sub.close()]);
}

function plainServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d)).on('end', () => {
      const { amount } = JSON.parse(body || '{}') as { amount?: number };
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'pay-1', amount }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** A POST with node:http: on a kept-alive connection (Node's default agent), or on a new connection (`agent: false`, as real mode's client does). */
function plainPost(port: number, body: unknown, options: { newConnection: boolean }): Promise<unknown> {
  const data = JSON.stringify(body);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/payments', method: 'POST', headers, ...(options.newConnection ? { agent: false } : {}) }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d)).on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject).end(data);
  });
}

async function measureWith(node: RabbitNode): Promise<void> {
  const host = new RealHost({ amqpUrl: node.url, directory: new ServiceDirectory(), seed: 'bench' });
  setCurrentHost(host);
  host.clock.loaded();
  const bare = await amqplibConnect(node.url);
  const plain = await plainServer();
  try {
    const bareCh = await bare.createChannel();
    const realCh = await (await playground.amqp.connect('amqp://bench@rabbitmq')).createChannel();
    const [bareMs = 0, realMs = 0] = await sideBySide(
      () => pubConsumeAck(bareCh as unknown as AmqpChannelLike, MESSAGES),
      () => pubConsumeAck(realCh as unknown as AmqpChannelLike, MESSAGES),
    );
    const rate = (ms: number, n: number) => (n / ms) * 1000;
    report(`real mode amqp: publish → consume → ack (${MESSAGES.toLocaleString('en-US')} messages)`, rate(realMs, MESSAGES), 'msg/s', rate(bareMs, MESSAGES), 'amqplib');
    console.log(`  overhead: real mode takes ${(realMs / bareMs).toFixed(2)}× the time of bare amqplib (trace events and queue figures per step)`);

    const publisher = await playground.eventBus<Placed>('bench-orders', { exchange: 'bench-events' });
    const subscriber = await playground.eventBus<Placed>('bench-billing', { exchange: 'bench-events' });
    const [bareBusMs = 0, busMs = 0] = await sideBySide(() => bareBusRound(bare), () => busRound(publisher, subscriber));
    report(`real mode event bus: confirmed publish → consume → ack (${EVENTS.toLocaleString('en-US')} events)`, rate(busMs, EVENTS), 'events/s', rate(bareBusMs, EVENTS), 'amqplib confirm channel');
    console.log(`  overhead: the event bus takes ${(busMs / bareBusMs).toFixed(2)}× the time of the same work on a bare confirm channel`);

    const svc = playground.service('bench-payments');
    svc.post('/payments', (req) => ({ id: 'pay-1', amount: (req.body as { amount: number }).amount }));
    await host.listening();
    const calls = (post: (i: number) => Promise<unknown>) => async () => {
      for (let i = 0; i < CALLS; i++) await post(i);
    };
    const [keptMs = 0, freshMs = 0, serviceMs = 0] = await sideBySide(
      calls((i) => plainPost(plain.port, { amount: i }, { newConnection: false })),
      calls((i) => plainPost(plain.port, { amount: i }, { newConnection: true })),
      calls((i) => playground.http.post('http://bench-payments/payments', { amount: i })),
    );
    report(`real mode HTTP: sequential calls (${CALLS})`, rate(serviceMs, CALLS), 'calls/s', rate(keptMs, CALLS), 'node:http, kept-alive connection');
    report(`real mode HTTP: sequential calls (${CALLS})`, rate(serviceMs, CALLS), 'calls/s', rate(freshMs, CALLS), 'node:http, a connection per call');
    console.log(
      `  overhead: a playground service and client take ${(serviceMs / keptMs).toFixed(2)}× the time of node:http on a kept-alive connection and ` +
        `${(serviceMs / freshMs).toFixed(2)}× on a connection per call, as real mode opens (so a stopped service refuses the next call at once); the rest is Express, trace events and fault hooks`,
    );
  } finally {
    setCurrentHost(undefined);
    await host.shutdown();
    await bare.close();
    plain.server.close();
  }
}

export async function run(): Promise<void> {
  const missing = rabbitMissing();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return;
  }
  console.log('starting a throwaway RabbitMQ node on loopback…');
  const node = await startRabbit();
  try {
    await measureWith(node);
  } finally {
    await node.remove();
  }
}
