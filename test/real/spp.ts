/**
 * Runs the `spp` command as a person would (`node bin/spp.mjs …`) and
 * collects what it printed, its exit code and how long it took.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SPP = join(ROOT, 'bin/spp.mjs');

/** What a finished `spp` process left. */
export interface SppResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock ms from start to exit. */
  ms: number;
}

/** A running `spp` process. */
export interface SppProcess {
  child: ChildProcess;
  /** Resolves once standard output has a line matching `pattern` (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process exits. */
  done: Promise<SppResult>;
}

/** Environment for `spp` without the caller's SPP_* and AMQP_URL variables. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['SPP_SERVICES', 'SPP_PORT', 'AMQP_URL']) delete env[k];
  return { ...env, ...extra };
}

/** Starts `spp` with `args` in the repository's folder. */
export function startSpp(args: string[], env: Record<string, string> = {}): SppProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [SPP, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    for (const w of watchers) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // 'close' comes after the process exited and its output ended.
  const done = new Promise<SppResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })));
  const waitFor = (pattern: RegExp, ms = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = stdout.match(pattern);
        if (!m) return;
        watchers.delete(check);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`no line matching ${pattern} within ${ms} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
      }, ms);
      watchers.add(check);
      check();
      void done.then(() => {
        if (watchers.has(check)) {
          watchers.delete(check);
          clearTimeout(timer);
          reject(new Error(`spp exited before printing ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      });
    });
  return { child, waitFor, done };
}

/** Runs `spp` to the end. */
export function runSpp(args: string[], env: Record<string, string> = {}): Promise<SppResult> {
  return startSpp(args, env).done;
}

/** What `main()` returned, read from the command's output. */
export function mainResult(stdout: string): unknown {
  const at = stdout.indexOf('main() returned ');
  if (at < 0) throw new Error(`no "main() returned" in:\n${stdout}`);
  const rest = stdout.slice(at + 'main() returned '.length);
  const end = rest.indexOf('\ntrace: ');
  return JSON.parse(end < 0 ? rest : rest.slice(0, end));
}

/** A scratch folder with these files in it. */
export function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'spp-test-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
