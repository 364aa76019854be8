/**
 * Projects as the page exports them, for the tests: zipped by the page's own
 * function with the runtime file built from src/real, unpacked into a
 * scratch folder, with the packages its package.json names linked from this
 * repository's node_modules (the tests may not reach a registry; `npm install`
 * would fetch the same versions).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { bundleRealRuntime, realRuntimeDependencies } from '../../src/real/build/real-runtime.mjs';
import { transpile } from '../../src/runner/transpiler/transpile.js';
import type { RealRuntime } from '../../src/ui/app/project-files.js';
import { buildProjectZip, type ProjectZip } from '../../src/ui/app/project-zip.js';
import { ROOT, type SppResult } from './spp.js';

let runtime: Promise<RealRuntime> | undefined;

/** The runtime file as the site's build makes it (built once per test file). */
export function realRuntime(): Promise<RealRuntime> {
  runtime ??= bundleRealRuntime().then(({ code }) => ({ source: code, dependencies: realRuntimeDependencies() }));
  return runtime;
}

/** The transpile check the page runs before zipping. */
export async function checkAsThePageDoes(code: string) {
  const out = transpile(code, { playgroundUrl: 'playground' });
  return out.ok ? undefined : out.error;
}

/** Zips `code` as the page's "Download as project" does. */
export async function exportProject(code: string, name = 'exported-program', title = 'Exported program'): Promise<ProjectZip> {
  return buildProjectZip({ code, name, title, runtime: await realRuntime(), check: checkAsThePageDoes });
}

/** Unpacks a zip into a fresh scratch folder; resolves to the project's folder. */
export function unpack(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'spp-export-'));
  const entries = unzipSync(bytes);
  for (const [path, data] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  }
  const folders = new Set(Object.keys(entries).map((p) => p.split('/')[0]!));
  if (folders.size !== 1) throw new Error(`the zip should hold one folder, not ${[...folders].join(', ')}`);
  return join(dir, [...folders][0]!);
}

/** What `npm install` would do, offline: links every dependency the project's package.json names. */
export function linkDependencies(project: string): string[] {
  const { dependencies } = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  for (const name of Object.keys(dependencies)) symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  return Object.keys(dependencies);
}

/** A command started in a project's folder. */
export interface Started {
  child: ChildProcess;
  output(): string;
  done: Promise<SppResult>;
}

/** Starts a command in `cwd`, with `env` added to a clean environment. */
export function startIn(cwd: string, command: string, args: string[], env: Record<string, string>): Started {
  const started = Date.now();
  const clean = { ...process.env };
  for (const k of ['SPP_SERVICES', 'SPP_PORT', 'AMQP_URL']) delete clean[k];
  const child = spawn(command, args, { cwd, env: { ...clean, npm_config_update_notifier: 'false', npm_config_fund: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<SppResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })));
  return { child, output: () => `${stdout}\n${stderr}`, done };
}

/** Runs a command in `cwd` to its end, with `env` added to a clean environment. */
export function runIn(cwd: string, command: string, args: string[], env: Record<string, string>): Promise<SppResult> {
  return startIn(cwd, command, args, env).done;
}
