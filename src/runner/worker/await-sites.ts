import { tokenizeJs, type JsToken } from '../js-tokens.js';

/** An `await` in JavaScript source, and the function it is in. */
export interface AwaitSite {
  /** Offset of the `await` keyword. */
  offset: number;
  /** Name of the innermost enclosing function (`''` when it has none); `undefined` at the module's top level. */
  fn: string | undefined;
  /** For `await name(…)`, the function called. */
  callee?: string;
}

/** Words before `(` that start a statement, not a function's parameters. */
const NOT_FUNCTION_NAMES = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'typeof', 'await', 'yield', 'new', 'delete', 'void']);

/**
 * Finds the `await` keywords of a module and the function each belongs to:
 * `function name() {}`, `async name() {}` methods, and `name = async () =>
 * {}` or `name = async function () {}` are named; other functions are
 * anonymous (`''`); an `await` in no function is top-level. Built on
 * {@link tokenizeJs}, so awaits in strings and comments are not counted.
 * Used to point a run that waits forever at the awaits that could be waiting.
 *
 * @example
 * findAwaitSites('async function main() { await never(); }\nawait main();');
 * // [{ offset: 24, fn: 'main', callee: 'never' }, { offset: 41, fn: undefined, callee: 'main' }]
 */
export function findAwaitSites(code: string): AwaitSite[] {
  const tokens = tokenizeJs(code);
  const sites: AwaitSite[] = [];
  /** Per open `{`: the name of the function whose body it opens, or `null` for any other block. */
  const blocks: Array<string | null> = [];
  /** Per open `(`: its token index. */
  const parens: number[] = [];
  /** Token index of the `(` matching each `)`, by the `)`'s index. */
  const openOf = new Map<number, number>();
  const word = (k: number): string | undefined => {
    const t = tokens[k];
    return t?.kind === 'word' && !t.dotBefore ? t.text : undefined;
  };
  const isPunct = (t: JsToken | undefined, text: string) => t?.kind === 'punct' && t.text === text;

  /** `name = async`, `name: async` or `name =` just before token `k`: the name, or `''`. */
  const assignedName = (k: number): string => {
    let j = k;
    if (word(j) === 'async') j--;
    if (isPunct(tokens[j], '=') || isPunct(tokens[j], ':')) return word(j - 1) ?? '';
    return '';
  };

  /** The function whose body a `{` at token `k` opens, or `null` when it opens another block. */
  const functionOpenedAt = (k: number): string | null => {
    const prev = tokens[k - 1];
    if (isPunct(prev, '=>')) {
      // `(a, b) => {` or `a => {`, perhaps `async`, perhaps assigned to a name.
      const paramsStart = isPunct(tokens[k - 2], ')') ? openOf.get(k - 2) : k - 2;
      return paramsStart === undefined ? '' : assignedName(paramsStart - 1);
    }
    if (!isPunct(prev, ')')) return null;
    const open = openOf.get(k - 1);
    if (open === undefined) return null;
    const before = word(open - 1);
    if (before === 'function') return assignedName(open - 2); // `function (…) {`
    if (before === undefined || NOT_FUNCTION_NAMES.has(before)) return null;
    // `function name(…) {`, `function* name(…) {`, or a method `name(…) {`.
    return before;
  };

  tokens.forEach((t, k) => {
    if (t.kind === 'punct') {
      if (t.text === '(') parens.push(k);
      else if (t.text === ')') {
        const open = parens.pop();
        if (open !== undefined) openOf.set(k, open);
      } else if (t.text === '{') blocks.push(functionOpenedAt(k));
      else if (t.text === '}') blocks.pop(); // (a `}` that closes a template's `\${` is template text, not a token)
      return;
    }
    if (t.kind !== 'word' || t.dotBefore || t.text !== 'await') return;
    let fn: string | undefined;
    for (let b = blocks.length - 1; b >= 0; b--) {
      if (blocks[b] !== null) {
        fn = blocks[b]!;
        break;
      }
    }
    const callee = word(k + 1);
    sites.push({ offset: t.start, fn, ...(callee && isPunct(tokens[k + 2], '(') ? { callee } : {}) });
  });
  return sites;
}
