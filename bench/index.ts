/**
 * `npm run bench`: runs every bench/*.bench.ts in name order. Each prints its
 * figures next to a baseline measured in the same run, as a ratio, because
 * absolute times on a shared machine are noise.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
for (const f of files) {
  const mod = (await import(pathToFileURL(dir + f).href)) as { run: () => Promise<void> };
  console.log(`\n## ${f.replace('.bench.ts', '')}`);
  await mod.run();
}
