/**
 * The service map while scrubbing: one map at each of 20 scrub times of the
 * retry-storm example's trace (its starting code, seed and fault plan), the
 * way the view asks for it as the learner drags the scrubber. Baseline, in the
 * same run: the same 20 maps, each of a fresh copy of the trace, so that
 * every one works out what each event adds to the map again (as every scrub
 * step did before the map kept that per trace). Target: a scrub step at most
 * a third of the baseline's.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serviceMap } from '../src/ui/views/service-map-model.js';
import { nodeProgram } from '../test/explore/node-program.js';
import { measure, report } from './util.js';

export async function run(): Promise<void> {
  const code = readFileSync(fileURLToPath(new URL('../examples/retry-storm/main.ts', import.meta.url)), 'utf8');
  const p = nodeProgram(code);
  const r = await p.run('storm-1', { services: { 'search-service': { errorRate: 0.05, errorStatus: 503 } } });
  p.dispose();
  if (r.status !== 'ok') throw new Error(`bench: the retry-storm run ended ${r.status}`);
  const events = r.events;
  const end = events[events.length - 1]!.time;
  const times = Array.from({ length: 20 }, (_, i) => (end * (i + 1)) / 20);
  const scrub = await measure(() => {
    for (const until of times) serviceMap(events, { until, fitWidth: 500 });
  }, 9);
  const fresh = await measure(() => {
    for (const until of times) serviceMap([...events], { until, fitWidth: 500 });
  }, 9);
  report(`service map, one scrub step (retry-storm, ${events.length} events)`, scrub / times.length, 'ms', fresh / times.length, 'the same map of a trace not seen before', '≤ 0.33× baseline');
}
