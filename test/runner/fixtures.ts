import type { FaultPlan } from '../../src/sim/faults.js';

/** A program run both in Node and in the browser sandbox; both must give the same trace hash. */
export interface DeterminismFixture {
  code: string;
  seed: string | number;
  faults?: FaultPlan;
}

/**
 * Programs that exercise what a run binds to virtual time and the seed:
 * services and HTTP with latency and injected errors, retries with jittered
 * backoff via setTimeout and Math.random, Date, console output, an interval.
 */
export const DETERMINISM_FIXTURES: Record<string, DeterminismFixture> = {
  'orders-with-retries': {
    seed: 'fixture-1',
    faults: { services: { payment: { errorRate: 0.4, latency: { kind: 'uniform', min: 20, max: 200 } } } },
    code: `import { service, http, log, HttpError } from 'playground';

interface Charge { orderId: number; amount: number }

const payment = service('payment');
payment.post('/charges', async (req, res) => {
  const charge = req.body as Charge;
  res.status(201).json({ id: \`ch-\${charge.orderId}\`, at: new Date().toISOString() });
});

const orders = service('orders');
orders.post('/orders/:id', async (req, res) => {
  const orderId = Number(req.params.id);
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const { data } = await orders.http.post('http://payment/charges', { orderId, amount: 10 * orderId }, { timeout: 150 });
      return res.json({ orderId, charge: data, attempt });
    } catch (e) {
      const wait = Math.round(100 * 2 ** attempt * (0.5 + Math.random()));
      console.warn('attempt', attempt, 'failed:', (e as HttpError).message, '- waiting', wait);
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  res.status(502).json({ orderId, error: 'payment unavailable' });
});

let ticks = 0;
const timer = setInterval(() => { ticks++; }, 250);

export default async function main(): Promise<{ ok: number; failed: number; ticks: number }> {
  const results = await Promise.all([1, 2, 3, 4].map((id) => http.post(\`http://orders/orders/\${id}\`, {}).then(() => true, () => false)));
  clearInterval(timer);
  log.info('done', { now: Date.now(), performance: performance.now() });
  return { ok: results.filter(Boolean).length, failed: results.filter((r) => !r).length, ticks };
}
`,
  },
  'timer-error': {
    seed: 7,
    code: `import { sleep } from 'playground';
console.log('start', Math.random());
setTimeout(() => {
  const value: number = Math.random();
  throw new Error('timer failed with ' + value.toFixed(3));
}, 500);
export default async function main() {
  await sleep(2_000);
  return 'unreachable';
}
`,
  },
  'unhandled-rejection': {
    seed: 3,
    code: `import { service, http, sleep } from 'playground';
const audit = service('audit');
audit.post('/entries', async (_req, res) => { await sleep(5); res.status(202).end(); });
let n = 0;
setInterval(() => { n++; void http.post('http://audit/entries', { n }); }, 10);
async function flaky(): Promise<void> { await sleep(35); throw new Error('audit stream closed'); }
export default async function main() {
  flaky(); // not awaited: its rejection is unhandled
  await sleep(1_000);
}
`,
  },
  'top-level-await': {
    seed: 11,
    code: `import { service, http, sleep } from 'playground';
const inventory = service('inventory');
inventory.get('/items/:sku', async (req) => { await sleep(Math.round(Math.random() * 50)); return { sku: req.params.sku, left: 2 }; });
setTimeout(() => console.log('timer from top level fired'), 30);
await sleep(100);
const warm = await Promise.all(['a', 'b', 'c'].map((sku) => http.get(\`http://inventory/items/\${sku}\`)));
export default async function main() {
  return warm.map((r) => r.data.sku + r.data.left).join(',');
}
`,
  },
};
