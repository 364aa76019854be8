/**
 * `npm run bench`: runs every bench/*.bench.ts in name order. Each prints its
 * figures next to a baseline measured in the same run, as a ratio, because
 * absolute times on a shared machine are noise.
 *
 * Every section runs in a Node process of its own, so one section's heap and
 * compiled code do not colour the next one's figures. A bench file exports
 * `run()`, or `sections` when it measures workloads that should not share a
 * process. `npm run bench -- sagas` runs the files whose names contain `sagas`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run?: () => Promise<void>;
  sections?: Record<string, () => Promise<void>>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const self = fileURLToPath(import.meta.url);

async function load(file: string): Promise<BenchModule> {
  return (await import(pathToFileURL(dir + file).href)) as BenchModule;
}

if (process.argv[2] === '--section') {
  // A child: one section of one file.
  const [file, section] = [process.argv[3]!, process.argv[4]!];
  const mod = await load(file);
  const fn = section === 'run' ? mod.run : mod.sections?.[section];
  if (!fn) throw new Error(`bench: ${file} has no section ${section}`);
  await fn();
} else {
  const only = process.argv[2];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
    .sort();
  let failed = false;
  for (const f of files) {
    console.log(`\n## ${f.replace('.bench.ts', '')}`);
    const mod = await load(f);
    const sections = mod.sections ? Object.keys(mod.sections) : ['run'];
    for (const s of sections) {
      // The same Node and loader flags (tsx) as this process.
      const child = spawnSync(process.execPath, [...process.execArgv, self, '--section', f, s], { stdio: 'inherit' });
      if (child.status !== 0) {
        console.error(`bench: ${f} ${s} failed (exit ${child.status ?? child.signal})`);
        failed = true;
      }
    }
  }
  if (failed) process.exitCode = 1;
}
