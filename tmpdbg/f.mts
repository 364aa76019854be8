import { readFileSync } from 'node:fs';
import { orderSagaFacts } from '../src/patterns/invariants/index.js';
import { traceFromJSON } from '../src/sim/index.js';
const ev = traceFromJSON(readFileSync('/tmp/bus/orch.json', 'utf8'));
const f = orderSagaFacts(ev);
console.log(f.orders.get('order-2'));
for (const e of ev) if (e.kind === 'saga.effect') console.log(JSON.stringify(e));
