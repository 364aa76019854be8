import { positionAt, tokenizeJs } from '../js-tokens.js';
import type { SourcePosition } from '../source-map.js';
import { PROGRAM_FUNCTION, programEntryName } from '../transpiler/program-factory.js';
import { findAwaitSites, type AwaitSite } from './await-sites.js';
import type { UserSource } from './stack.js';

/** Where a run waits forever: in `main` (the default export, called by the runner), or in the module's top-level code. */
export type WaitingIn = 'main' | 'top-level';

/** A run that waits forever, said in words, with the line to show when one is known (in the TypeScript). */
export interface WaitExplanation {
  message: string;
  line?: number;
  column?: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const ADVICE =
  'Nothing will ever settle that promise (a new Promise whose resolve is never called, or a reply nobody sends?). Make sure it is resolved or rejected, or race it against a timeout.';

/**
 * Explains a run that can never finish: the simulation has nothing left to
 * do, yet `main()`, or the module's top-level code, still waits for a
 * promise. JavaScript cannot tell which `await` a suspended function is
 * stopped at, so the awaits are found in the source (see
 * {@link findAwaitSites}): when only one can be waiting it is named and
 * pointed at, else the candidates' lines are listed.
 *
 * @example
 * explainEndlessWait('top-level', 0, source).message;
 * // "main() never finished: it is waiting for a promise that never settles. It was called by the top-level await on line 4 …"
 */
export function explainEndlessWait(waitingIn: WaitingIn, virtualTime: number, source: UserSource | undefined): WaitExplanation {
  const quiet = `The simulation had nothing left to do at virtual time ${fmt(virtualTime)} ms.`;
  const code = source?.code;
  // In a program made by toProgramFactory, the top-level code is the body of one function.
  const sites = code === undefined ? [] : findAwaitSites(code).map((s) => (s.fn === PROGRAM_FUNCTION ? { ...s, fn: undefined } : s));
  const at = (site: AwaitSite): SourcePosition => {
    const generated = positionAt(code!, site.offset);
    return source?.toSource ? source.toSource(generated) : generated;
  };
  const inside = (fn: string) => sites.filter((s) => s.fn === fn);

  if (waitingIn === 'main') {
    const entry = code === undefined ? undefined : programEntryName(code);
    const main = (entry === undefined ? code !== undefined && defaultExportName(code) : entry) || 'main';
    const where = describeAwaits(`${main}()`, inside(main).map(at));
    return { message: `${main}() never finished: it is waiting for a promise that never settles. ${quiet}${where.text} ${ADVICE}`, ...where.position };
  }

  const top = sites.filter((s) => s.fn === undefined);
  if (top.length !== 1) {
    const where = describeAwaits('Your top-level code', top.map(at));
    return { message: `Your module's top-level code never finished: it is waiting for a promise that never settles. ${quiet}${where.text} ${ADVICE}`, ...where.position };
  }
  const call = top[0]!;
  const callAt = at(call);
  if (!call.callee) {
    return { message: `Your module's top-level code never finished: the await on line ${callAt.line} is waiting for a promise that never settles. ${quiet} ${ADVICE}`, ...callAt };
  }
  const fn = call.callee;
  const where = describeAwaits(`${fn}()`, inside(fn).map(at));
  return {
    message: `${fn}() never finished: it is waiting for a promise that never settles. It was called by the top-level await on line ${callAt.line}. ${quiet}${where.text} ${ADVICE}`,
    ...(where.position ?? callAt),
  };
}

/** Names the awaits a function may be stopped at; points at the one when there is only one. */
function describeAwaits(who: string, positions: SourcePosition[]): { text: string; position?: SourcePosition } {
  if (positions.length === 0) return { text: '' };
  if (positions.length === 1) return { text: ` ${who} waits at the await on line ${positions[0]!.line}.`, position: positions[0]! };
  const lines = positions.map((p) => p.line);
  return { text: ` ${who} is stopped at one of its awaits, on lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}.` };
}

/** The name of `export default [async] function name`, if the module has one. */
function defaultExportName(code: string): string | undefined {
  const tokens = tokenizeJs(code);
  for (let k = 0; k + 2 < tokens.length; k++) {
    const [a, b] = [tokens[k]!, tokens[k + 1]!];
    if (a.kind !== 'word' || a.text !== 'export' || b.kind !== 'word' || b.text !== 'default') continue;
    let j = k + 2;
    if (tokens[j]?.kind === 'word' && (tokens[j] as { text: string }).text === 'async') j++;
    const fn = tokens[j];
    const name = tokens[j + 1];
    if (fn?.kind === 'word' && fn.text === 'function' && name?.kind === 'word') return name.text;
    return undefined;
  }
  return undefined;
}
