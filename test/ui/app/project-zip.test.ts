import { unzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { transpile } from '../../../src/runner/transpiler/transpile.js';
import { programServices } from '../../../src/ui/app/program-services.js';
import { projectName } from '../../../src/ui/app/project-files.js';
import { buildProjectZip } from '../../../src/ui/app/project-zip.js';

const runtime = { source: '// the runtime\n', dependencies: { express: '5.3.0', amqplib: '2.3.1' } };
const check = async (code: string) => {
  const out = transpile(code, { playgroundUrl: 'playground' });
  return out.ok ? undefined : out.error;
};

describe('Download as project', () => {
  it('zips the code, the runtime and the project files in one folder named after the example', async () => {
    const code = "import { service } from 'playground';\nservice('payment-service').get('/ok', () => ({ ok: true }));\nexport default async function main() {}\n";
    const zip = await buildProjectZip({ code, name: 'Retry & Backoff', title: 'Retry and backoff', runtime, check });
    if (!zip.ok) throw new Error(zip.message);
    expect(zip.fileName).toBe('retry-backoff.zip');
    const files = Object.fromEntries(Object.entries(unzipSync(zip.bytes)).map(([path, bytes]) => [path, strFromU8(bytes)]));
    expect(Object.keys(files).sort()).toEqual(
      ['.dockerignore', 'Dockerfile', 'README.md', 'docker-compose.yml', 'package.json', 'spp.mjs', 'src/main.ts'].map((f) => `retry-backoff/${f}`).sort(),
    );
    expect(files['retry-backoff/src/main.ts']).toBe(code);
    expect(files['retry-backoff/spp.mjs']).toBe(runtime.source);
    expect(JSON.parse(files['retry-backoff/package.json']!)).toMatchObject({ name: 'retry-backoff', type: 'module', scripts: { start: 'node spp.mjs run src/main.ts' }, dependencies: { amqplib: '2.3.1', express: '5.3.0' } });
    expect(files['retry-backoff/README.md']).toContain('npm install && AMQP_URL=amqp://127.0.0.1 npm start');
    expect(files['retry-backoff/docker-compose.yml']).toContain('"--only", "payment-service"');
  });

  it('refuses code that does not compile, or imports something else, with the error and its line', async () => {
    const broken = await buildProjectZip({ code: "import { log } from 'playground';\nconst x = ;\n", name: 'x', title: 'x', runtime, check });
    expect(broken).toEqual({ ok: false, message: expect.stringMatching(/^No project was made: fix the code first\. Line 2, column \d+: \S/) });
    const importing = await buildProjectZip({ code: "import fs from 'node:fs';\nconsole.log(fs);\n", name: 'x', title: 'x', runtime, check });
    expect(importing.ok).toBe(false);
    expect(!importing.ok && importing.message).toContain("Cannot import 'node:fs'");
  });

  it('names projects in lowercase letters, digits and dashes', () => {
    expect(projectName('Sync vs. Async!')).toBe('sync-vs-async');
    expect(projectName('***')).toBe('playground-program');
  });
});

describe('the services of a program', () => {
  it('reads string-literal names of services, buses, processes and participants, top level or inside functions', () => {
    const code = `import { service, eventBus, serviceProcess, sagaParticipant, sagaOrchestrator } from 'playground';
// service('commented-out')
const pay = service('payment-service');
const bus = await eventBus<OrderEvent>("order-service");
const proc = serviceProcess(\`inventory-service\`);
const url = 'http://payment-service/payments'; service('after-a-url');
const orch = sagaOrchestrator({ service: 'order-orchestrator', steps: [{ name: 'pay', service: 'payment-service' }] });
/* eventBus('also-commented') */
async function later() {
  const audit = await sagaParticipant('audit-service');
  if (pay) { service('deep-service'); }
  return "}";
}
service('payment-service');
const after = service('last-service');
`;
    expect(programServices(code)).toEqual([
      { name: 'payment-service', atLoad: true },
      { name: 'order-service', atLoad: true },
      { name: 'inventory-service', atLoad: true },
      { name: 'after-a-url', atLoad: true },
      { name: 'order-orchestrator', atLoad: true },
      { name: 'audit-service', atLoad: false },
      { name: 'deep-service', atLoad: false },
      { name: 'last-service', atLoad: true },
    ]);
  });

  it('counts the reference order sagas as their three services', () => {
    expect(programServices("const saga = await orderChoreography({ orders: [] });").map((s) => s.name)).toEqual(['order-service', 'payment-service', 'inventory-service']);
  });
});
