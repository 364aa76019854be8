import { performance } from 'node:perf_hooks';

/** Median wall time (ms) of `fn` over `runs` runs, after one warm-up run. */
export async function measure(fn: () => unknown, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Prints one benchmark line: a figure, the baseline measured in the same run, and their ratio. */
export function report(name: string, value: number, unit: string, baseline: number, baselineName: string, target?: string): void {
  const ratio = value / baseline;
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
  console.log(`${name}: ${fmt(value)} ${unit} | baseline (${baselineName}): ${fmt(baseline)} ${unit} | ratio ${ratio.toFixed(2)}${target ? ` | target ${target}` : ''}`);
}
