/**
 * The services of a program, read from its text: the names it passes as
 * string literals to `service`, `serviceProcess`, `eventBus`,
 * `sagaParticipant` and `sagaOrchestrator({ service })`, plus the three
 * services of the reference order sagas. These are the names `spp run --only`
 * accepts, so an exported project gets a container for each. A name built at
 * run time (a variable, a template) is not seen.
 */

/** A service the program names, and whether it exists once the program has loaded. */
export interface ProgramService {
  name: string;
  /**
   * Named at the top level of the program (outside any braces), so it exists
   * once the program has loaded. Otherwise it is made later, inside a
   * function (often by `main()`), so only the process that runs `main()` can
   * serve it.
   */
  atLoad: boolean;
}

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';

/** Calls whose first argument names a service (type arguments allowed: `eventBus<OrderEvent>('order-service')`). */
const NAMING_CALL = new RegExp(`\\b(?:service|serviceProcess|eventBus|sagaParticipant)\\s*(?:<[^()]*?>)?\\s*\\(\\s*(['"\`])(${NAME})\\1`, 'g');
/** `sagaOrchestrator({ … service: 'order-orchestrator' … })`: the first `service:` in the options. */
const ORCHESTRATOR = new RegExp(`\\bsagaOrchestrator\\s*(?:<[^()]*?>)?\\s*\\(\\s*\\{[^}]*?\\bservice\\s*:\\s*(['"\`])(${NAME})\\1`, 'g');
/** The reference order sagas run these services unless told otherwise. */
const ORDER_SAGA = /\b(?:orderChoreography|orderOrchestration)\s*\(/g;
const ORDER_SERVICES = ['order-service', 'payment-service', 'inventory-service'];

/** A string or a comment (regular expression literals are rare in programs and not told apart). */
const STRING_OR_COMMENT = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

/** Brace depth before each position of `text`, where strings and comments are already blank. */
function depths(text: string): Int32Array {
  const out = new Int32Array(text.length + 1);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = depth;
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth = Math.max(0, depth - 1);
  }
  out[text.length] = depth;
  return out;
}

/**
 * The services `code` names, in the order they first appear; a service named
 * both at the top level and inside a function counts as at load.
 *
 * @example
 * programServices("const pay = service('payment-service');\nasync function later() { await eventBus<E>('audit'); }");
 * // [{ name: 'payment-service', atLoad: true }, { name: 'audit', atLoad: false }]
 */
export function programServices(code: string): ProgramService[] {
  // Names are read with strings in place; braces are counted with strings blanked too.
  const text = code.replace(STRING_OR_COMMENT, (_match, str: string | undefined) => str ?? ' '.repeat(_match.length));
  const depth = depths(text.replace(STRING_OR_COMMENT, (m) => ' '.repeat(m.length)));
  const found: Array<{ at: number; name: string }> = [];
  for (const pattern of [NAMING_CALL, ORCHESTRATOR]) for (const m of text.matchAll(pattern)) found.push({ at: m.index, name: m[2]! });
  for (const m of text.matchAll(ORDER_SAGA)) for (const name of ORDER_SERVICES) found.push({ at: m.index, name });
  found.sort((a, b) => a.at - b.at);
  const services = new Map<string, ProgramService>();
  for (const { at, name } of found) {
    const s = services.get(name) ?? { name, atLoad: false };
    s.atLoad ||= depth[at] === 0;
    services.set(name, s);
  }
  return [...services.values()];
}
