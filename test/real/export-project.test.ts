/**
 * "Download as project", end to end: a zip made by the page's own function
 * is unpacked and started as its README says (the local-RabbitMQ way), and
 * main() succeeds against the suite's RabbitMQ; the trace it writes is one
 * the page opens. The compose file has the shape docker compose needs, with
 * one container per service, and those are the services the runtime itself
 * finds in the program, for every example.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalog, loadExample } from '../../examples/index.js';
import { parseTraceFile } from '../../src/sim/trace.js';
import { programServices } from '../../src/ui/app/program-services.js';
import { freePort } from '../support/rabbitmq.js';
import { exportProject, linkDependencies, runIn, startIn, unpack } from './exported-project.js';
import { mainResult, runSpp } from './spp.js';
import { vhostUrl } from './vhosts.js';

const README_COMMAND = 'npm install && AMQP_URL=amqp://127.0.0.1 npm start';

describe('an exported project', () => {
  it('runs as its README says with a local RabbitMQ: main() succeeds as it does under spp run, and writes a trace the page opens', async () => {
    const example = await loadExample('message-queue');
    const zip = await exportProject(example.code, example.id, example.title);
    if (!zip.ok) throw new Error(zip.message);
    const project = unpack(zip.bytes);
    expect(readFileSync(join(project, 'src/main.ts'), 'utf8')).toBe(example.code);
    const readme = readFileSync(join(project, 'README.md'), 'utf8');
    expect(readme).toContain(README_COMMAND);
    expect(readme).toContain('docker compose up');
    // `npm install`, offline: the packages package.json names, from this repository.
    expect(linkDependencies(project).sort()).toEqual(['amqplib', 'express']);

    const amqp = vhostUrl('export-project');
    const started = await runIn(project, 'npm', ['start', '--', '--seed', '11', '--trace', 'trace.json'], { AMQP_URL: amqp });
    expect(started.code, `${started.stdout}\n${started.stderr}`).toBe(0);
    expect(started.stdout).toContain('spp: running src/main.ts on real infrastructure (seed 11; RabbitMQ at amqp://guest:***@127.0.0.1:');
    const fromRepository = await runSpp(['run', `examples/${example.id}/main.ts`, '--seed', '11', '--amqp', amqp]);
    expect(fromRepository.code, fromRepository.stderr).toBe(0);
    expect(mainResult(started.stdout)).toEqual(mainResult(fromRepository.stdout));

    const opened = parseTraceFile(readFileSync(join(project, 'trace.json'), 'utf8'));
    if (!opened.ok) throw new Error(opened.problem);
    expect(opened.events.some((e) => e.kind === 'mq.publish')).toBe(true);
  });

  it('has a docker-compose.yml with RabbitMQ and its management UI, one container per service, one for main(), health checks and depends_on', async () => {
    const example = await loadExample('sync-vs-async');
    const zip = await exportProject(example.code, example.id, example.title);
    if (!zip.ok) throw new Error(zip.message);
    const project = unpack(zip.bytes);
    const services = ['payment-service', 'inventory-service', 'notification-service', 'order-service'];
    expect(zip.services).toEqual(services.map((name) => ({ name, atLoad: true })));
    const compose = parse(readFileSync(join(project, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Record<string, any>> };
    expect(Object.keys(compose.services).sort()).toEqual(['rabbitmq', 'main', ...services].sort());

    const broker = compose.services['rabbitmq']!;
    expect(broker['image']).toMatch(/^rabbitmq:[\w.-]*management/);
    expect(broker['ports']).toContain('15672:15672');
    expect(broker['healthcheck'].test).toEqual(['CMD', 'rabbitmq-diagnostics', '-q', 'ping']);
    const user = broker['environment'].RABBITMQ_DEFAULT_USER;
    const password = broker['environment'].RABBITMQ_DEFAULT_PASS;

    for (const name of services) {
      const c = compose.services[name]!;
      expect(c['build']).toBe('.');
      expect(c['command'].slice(0, 2)).toEqual(['run', 'src/main.ts']);
      expect(c['command']).toEqual(expect.arrayContaining(['--no-main']));
      expect(c['command'][c['command'].indexOf('--only') + 1]).toBe(name);
      const ready = c['command'][c['command'].indexOf('--ready-file') + 1];
      expect(c['healthcheck'].test).toEqual(['CMD', 'test', '-f', ready]);
      expect(c['depends_on']).toEqual({ rabbitmq: { condition: 'service_healthy' } });
      expect(c['environment'].AMQP_URL).toBe(`amqp://${user}:${password}@rabbitmq:5672`);
    }
    const main = compose.services['main']!;
    expect(main['command']).toEqual(expect.arrayContaining(['--no-services']));
    expect(main['command']).not.toContain('--no-main');
    expect(main['depends_on']).toEqual(Object.fromEntries(['rabbitmq', ...services].map((n) => [n, { condition: 'service_healthy' }])));

    const dockerfile = readFileSync(join(project, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "spp.mjs"]');
    const pkg = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.scripts['start']).toBe('node spp.mjs run src/main.ts');
    const ours = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ amqplib: ours.dependencies['amqplib'], express: ours.dependencies['express'] });
  });

  it('gets one container for each service the runtime finds in the program, for every example', async () => {
    // The runtime names a program's services when --only names one it does not have.
    const zip = await exportProject('export default async function main() {}\n');
    if (!zip.ok) throw new Error(zip.message);
    const project = unpack(zip.bytes);
    linkDependencies(project);
    const listedServices = async (id: string) => {
      const run = await runIn(project, process.execPath, ['spp.mjs', 'run', join(import.meta.dirname, '../../examples', id, 'main.ts'), '--only', 'no-such-service'], {
        AMQP_URL: vhostUrl(`export-${id}`),
      });
      const listed = /Unknown service 'no-such-service' in --only: .* has (.*)\.\n/.exec(run.stderr);
      if (!listed) throw new Error(`${id}: ${run.stderr}`);
      return listed[1] === 'no services' ? [] : listed[1]!.split(', ');
    };
    // Three at a time, each on a virtual host of its own.
    const ids = catalog.map((e) => e.id);
    for (let i = 0; i < ids.length; i += 3) {
      const batch = ids.slice(i, i + 3);
      const found = await Promise.all(batch.map(listedServices));
      for (const [j, id] of batch.entries()) {
        const { code } = await loadExample(id);
        expect(programServices(code).filter((s) => s.atLoad).map((s) => s.name).sort(), id).toEqual(found[j]!.sort());
      }
    }
  }, 240_000);
});

describe("the compose file's layout", () => {
  it('runs on one machine as docker compose would run it: each service in its own process, main() in another that serves the services made later', async () => {
    const example = await loadExample('event-driven');
    const zip = await exportProject(example.code, example.id, example.title);
    if (!zip.ok) throw new Error(zip.message);
    const project = unpack(zip.bytes);
    linkDependencies(project);
    mkdirSync(join(project, 'traces'));
    const compose = parse(readFileSync(join(project, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { command?: string[]; environment?: Record<string, string> }> };
    const containers = Object.entries(compose.services).filter(([name]) => name !== 'rabbitmq' && name !== 'main');
    expect(containers.map(([name]) => name)).toEqual(['payment-service', 'inventory-service', 'notification-service', 'order-service']);
    expect(compose.services['main']!.command).toEqual(['run', 'src/main.ts', '--only', 'analytics-service', '--trace', 'traces/main.json']);
    // Every container finds the service made later in the main container.
    for (const c of Object.values(compose.services).filter((c) => c.command)) expect(c.environment?.['SPP_SERVICES']).toBe('analytics-service=main:8080');

    // On one machine, the container names become loopback ports (in compose: DNS names on port 8080).
    const ports = await Promise.all(containers.map(() => freePort()));
    const mainPort = await freePort();
    const env = { AMQP_URL: vhostUrl('export-compose'), SPP_SERVICES: [...containers.map(([name], i) => `${name}=127.0.0.1:${ports[i]}`), `analytics-service=127.0.0.1:${mainPort}`].join(',') };
    const servers = containers.map(([name, { command }]) => {
      const args = [...command!];
      const ready = join(project, `${name}.ready`);
      args[args.indexOf('--ready-file') + 1] = ready;
      return { name, ready, process: startIn(project, process.execPath, ['spp.mjs', ...args], env) };
    });
    try {
      for (const s of servers) await until(() => existsSync(s.ready), 30_000, () => s.process.output());
      const main = await runIn(project, process.execPath, ['spp.mjs', ...compose.services['main']!.command!], env);
      expect(main.code, `${main.stdout}\n${main.stderr}`).toBe(0);
      expect(main.stdout).toContain('note: analytics-service is not a service yet; this process serves it once the program makes it.');
      // What main() returns is read from its own process's memory (the services' lists and event store are in theirs).
      expect(mainResult(main.stdout)).toMatchObject({ handled: expect.any(Object) });
    } finally {
      for (const s of servers) s.process.child.kill('SIGINT');
    }
    for (const s of servers) {
      const ended = await s.process.done;
      expect(ended.code, ended.stderr).toBe(0);
      expect(existsSync(s.ready)).toBe(false);
      // Each service process handled its own service's events.
      const trace = parseTraceFile(readFileSync(join(project, 'traces', `${s.name}.json`), 'utf8'));
      if (!trace.ok) throw new Error(trace.problem);
      const handled = trace.events.filter((e) => e.kind === 'mq.deliver');
      if (s.name !== 'order-service') expect(handled.length, s.name).toBeGreaterThan(0);
      expect(new Set(handled.map((e) => e.source)), s.name).toEqual(new Set(handled.length ? [s.name] : []));
    }
  });
});

async function until(test: () => boolean, ms: number, describe: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`not ready within ${ms} ms:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
