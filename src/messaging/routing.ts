/**
 * How exchanges pick queues: topic patterns (`*` one word, `#` zero or more
 * words) and header matching (`x-match` all/any), as RabbitMQ does it.
 */

function split(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

function matchWords(p: readonly string[], pi: number, k: readonly string[], ki: number): boolean {
  while (pi < p.length) {
    const w = p[pi]!;
    if (w === '#') {
      // collapse runs of '#'
      while (pi + 1 < p.length && p[pi + 1] === '#') pi++;
      if (pi === p.length - 1) return true;
      for (let j = ki; j <= k.length; j++) if (matchWords(p, pi + 1, k, j)) return true;
      return false;
    }
    if (ki >= k.length) return false;
    if (w !== '*' && w !== k[ki]) return false;
    pi++;
    ki++;
  }
  return ki === k.length;
}

/**
 * True when a topic routing key matches a binding pattern.
 *
 * @example
 * topicMatches('order.*', 'order.created');       // true
 * topicMatches('order.#', 'order');               // true (# is zero or more words)
 * topicMatches('*.created', 'order.eu.created');  // false (* is exactly one word)
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  if (pattern === '#') return true;
  if (!pattern.includes('*') && !pattern.includes('#')) return pattern === routingKey;
  return matchWords(split(pattern), 0, split(routingKey), 0);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/**
 * True when message headers match the arguments of a headers-exchange binding.
 * `x-match: 'all'` (the default) needs every other argument to be present with
 * the same value, `'any'` needs one; arguments starting with `x-` are ignored
 * unless `x-match` is `all-with-x` / `any-with-x`.
 *
 * @example
 * headersMatch({ 'x-match': 'any', region: 'eu', vip: true }, { region: 'eu' }); // true
 */
export function headersMatch(bindingArgs: Record<string, unknown> | undefined, headers: Record<string, unknown> | undefined): boolean {
  const args = bindingArgs ?? {};
  const mode = String(args['x-match'] ?? 'all');
  const withX = mode.endsWith('-with-x');
  const any = mode.startsWith('any');
  const h = headers ?? {};
  for (const key of Object.keys(args)) {
    if (key === 'x-match') continue;
    if (!withX && key.startsWith('x-')) continue;
    const want = args[key];
    const present = Object.prototype.hasOwnProperty.call(h, key);
    // A binding argument without a value (undefined/null) matches on presence alone.
    const ok = present && (want === undefined || want === null || sameValue(h[key], want));
    if (any && ok) return true;
    if (!any && !ok) return false;
  }
  return !any;
}
