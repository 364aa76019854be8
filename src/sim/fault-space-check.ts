import { MAX_SPACE_COUNT, MAX_SPACE_MS, type FaultSpaceIssue } from './fault-space.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Checks a fault space's shape and ranges. Each problem names its path and
 * says what is allowed, with the value found, so the page can show it next to
 * the field. When `knownServices` is given, every service named must be one of
 * them. Returns the problems (empty when the space is valid).
 *
 * @example
 * checkFaultSpace({ services: { payment: { errorRate: { chance: 0.5, min: 0, max: 1.5 } } } });
 * // [{ path: 'services.payment.errorRate.max', message: 'must be between 0 and 1 (got 1.5)' }]
 */
export function checkFaultSpace(space: unknown, knownServices?: readonly string[]): FaultSpaceIssue[] {
  const issues: FaultSpaceIssue[] = [];
  const bad = (path: string, message: string) => void issues.push({ path, message });
  if (!isObj(space)) return [{ path: 'space', message: 'must be an object' }];
  const known = knownServices ? new Set(knownServices) : undefined;
  const name = (path: string, v: unknown) => {
    if (typeof v !== 'string' || v === '') bad(path, 'must be a service name');
    else if (known && !known.has(v)) bad(path, `unknown service "${v}" (known: ${[...known].join(', ') || 'none'})`);
  };
  const fields = (path: string, o: Record<string, unknown>, allowed: readonly string[]) => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(`${path}.${k}`, `is not a field here (allowed: ${allowed.join(', ')})`);
  };
  const number = (path: string, v: unknown, lo: number, hi: number, whole: boolean): v is number => {
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi && (!whole || Number.isInteger(v));
    if (!ok) bad(path, `must be ${whole ? 'a whole number' : 'a number'} between ${fmt(lo)} and ${fmt(hi)} (got ${typeof v === 'number' ? fmt(v) : JSON.stringify(v) ?? 'nothing'})`);
    return ok;
  };
  const range = (path: string, v: unknown, lo: number, hi: number, whole: boolean) => {
    if (!isObj(v)) return bad(path, `must be { min, max } between ${fmt(lo)} and ${fmt(hi)}`);
    const okMin = number(`${path}.min`, v['min'], lo, hi, whole);
    const okMax = number(`${path}.max`, v['max'], lo, hi, whole);
    if (okMin && okMax && (v['min'] as number) > (v['max'] as number)) bad(`${path}.max`, `must not be below min (${fmt(v['max'] as number)} < ${fmt(v['min'] as number)})`);
  };
  const chance = (path: string, v: Record<string, unknown>) => number(`${path}.chance`, v['chance'], 0, 1, false);
  const value = (path: string, v: unknown, kind: 'rate' | 'ms') => {
    if (v === undefined) return;
    if (!isObj(v)) return bad(path, 'must be { chance, min, max }');
    fields(path, v, ['chance', 'min', 'max']);
    chance(path, v);
    range(path, v, 0, kind === 'rate' ? 1 : MAX_SPACE_MS, kind === 'ms');
  };
  const windows = (path: string, v: unknown, extra: readonly string[] = []) => {
    if (v === undefined) return;
    if (!isObj(v)) return bad(path, 'must be { chance, count, start, length }');
    fields(path, v, ['chance', 'count', 'start', 'length', ...extra]);
    chance(path, v);
    range(`${path}.count`, v['count'], 0, MAX_SPACE_COUNT, true);
    range(`${path}.start`, v['start'], 0, MAX_SPACE_MS, true);
    range(`${path}.length`, v['length'], 1, MAX_SPACE_MS, true);
  };
  const service = (path: string, v: unknown, withDown: boolean, extra: readonly string[] = []) => {
    if (!isObj(v)) return bad(path, 'must be an object');
    fields(path, v, ['errorRate', 'errorStatus', 'latency', ...(withDown ? ['down'] : []), ...extra]);
    value(`${path}.errorRate`, v['errorRate'], 'rate');
    if (v['errorStatus'] !== undefined) number(`${path}.errorStatus`, v['errorStatus'], 100, 599, true);
    value(`${path}.latency`, v['latency'], 'ms');
    if (withDown) windows(`${path}.down`, v['down']);
  };
  const list = (path: string, v: unknown, each: (p: string, x: Record<string, unknown>) => void) => {
    if (v === undefined) return;
    if (!Array.isArray(v)) return bad(path, 'must be an array');
    v.forEach((x, i) => (isObj(x) ? each(`${path}[${i}]`, x) : bad(`${path}[${i}]`, 'must be an object')));
  };
  const record = (path: string, v: unknown, each: (p: string, x: unknown, key: string) => void) => {
    if (v === undefined) return;
    if (!isObj(v)) return bad(path, 'must be an object keyed by name');
    for (const [k, x] of Object.entries(v)) each(`${path}.${k}`, x, k);
  };

  const top = ['services', 'routes', 'links', 'partitions', 'queues', 'broker'];
  for (const k of Object.keys(space)) if (!top.includes(k)) bad(k, `is not a fault space field (allowed: ${top.join(', ')})`);
  record('services', space['services'], (p, x, k) => {
    name(p, k);
    service(p, x, true);
  });
  list('routes', space['routes'], (p, r) => {
    name(`${p}.service`, r['service']);
    if (typeof r['path'] !== 'string' || !r['path'].startsWith('/')) bad(`${p}.path`, 'must be a path starting with "/"');
    service(p, r, false, ['service', 'path', 'method']);
  });
  list('links', space['links'], (p, l) => {
    fields(p, l, ['from', 'to', 'latency']);
    name(`${p}.from`, l['from']);
    name(`${p}.to`, l['to']);
    if (l['latency'] === undefined) bad(`${p}.latency`, 'must be { chance, min, max }');
    value(`${p}.latency`, l['latency'], 'ms');
  });
  list('partitions', space['partitions'], (p, x) => {
    name(`${p}.a`, x['a']);
    name(`${p}.b`, x['b']);
    windows(p, x, ['a', 'b']);
  });
  record('queues', space['queues'], (p, q) => {
    if (!isObj(q)) return bad(p, 'must be an object');
    fields(p, q, ['duplicateRate', 'crashBeforeAckRate', 'dropRate', 'delay']);
    for (const k of ['duplicateRate', 'crashBeforeAckRate', 'dropRate'] as const) value(`${p}.${k}`, q[k], 'rate');
    value(`${p}.delay`, q['delay'], 'ms');
  });
  const b = space['broker'];
  if (b !== undefined) {
    if (!isObj(b)) bad('broker', 'must be an object');
    else {
      fields('broker', b, ['latency', 'restarts']);
      value('broker.latency', b['latency'], 'ms');
      const r = b['restarts'];
      if (r !== undefined) {
        if (!isObj(r)) bad('broker.restarts', 'must be { chance, count, at }');
        else {
          chance('broker.restarts', r);
          range('broker.restarts.count', r['count'], 0, MAX_SPACE_COUNT, true);
          range('broker.restarts.at', r['at'], 0, MAX_SPACE_MS, true);
        }
      }
    }
  }
  return issues;
}
