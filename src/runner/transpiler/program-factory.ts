import { tokenizeJs, type JsToken } from '../js-tokens.js';

/** Name of the per-run function a program module exports as its default: its frames are the program's top-level code. */
export const PROGRAM_FUNCTION = '__sppProgram';
/** Holds the value of an `export default <expression>` inside the factory. */
const DEFAULT_VALUE = '__sppDefault';
/** The header states the name of the program's own default export, for messages (see {@link programEntryName}). */
const ENTRY_HEADER = /^const __sppEntry = ("(?:[^"\\]|\\.)*"|undefined);/;

/** A program as a module that is imported once and evaluated once per run. */
export interface ProgramFactory {
  /** JavaScript of a module whose default export runs the program's top-level code and resolves to `{ default }`. */
  code: string;
  /** Source map `mappings` from `code` back to the TypeScript. */
  mappings: string;
}

/**
 * Turns a transpiled program (an ES module whose only imports are the
 * runtime's) into a module that exports its top-level code as an async
 * function: importing a module anew for every run costs a fetch, a parse and
 * a compile each time (milliseconds in a Worker); calling a function costs
 * nothing, and every call still builds fresh top-level state, as a fresh
 * module would.
 *
 * The program's text stays where it was, one line down (the first line is
 * the function's header, and the source map gains one line): `import`
 * declarations move after the function (imports are hoisted, so their
 * bindings are the same), `export` keywords are blanked out, and
 * `export default <expression>` becomes an assignment of the same length.
 * The function resolves, once the top-level code (awaits included) has
 * finished, to `{ default }`: what `import()` of the module would have given.
 *
 * @example
 * const f = toProgramFactory(out.code, out.mappings);
 * const { default: run } = await import(blobUrlOf(f.code));
 * const module = await run(); // top-level code ran; module.default is main
 */
export function toProgramFactory(code: string, mappings: string): ProgramFactory {
  const tokens = tokenizeJs(code);
  const body = code.split('');
  const moved: string[] = [];
  let entry: string | undefined;
  let defaultValue: string | undefined;
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (body[i] !== '\n' && body[i] !== '\r') body[i] = ' ';
  };
  const word = (k: number, ...words: string[]) => {
    const t = tokens[k];
    return t?.kind === 'word' && !t.dotBefore && (words.length === 0 || words.includes(t.text));
  };
  const punct = (k: number, text: string) => tokens[k]?.kind === 'punct' && (tokens[k] as { text: string }).text === text;
  /** Index of the token just past a statement that ends with the string at `k` (and its optional attributes and `;`). */
  const afterSpecifier = (k: number) => {
    let j = k + 1;
    if (word(j, 'with', 'assert') && punct(j + 1, '{')) {
      j += 2;
      while (j < tokens.length && !punct(j, '}')) j++;
      j++;
    }
    return punct(j, ';') ? j + 1 : j;
  };
  const end = (j: number) => (j < tokens.length ? tokens[j - 1]!.end : code.length);

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (word(k, 'import') && !punct(k + 1, '(') && !punct(k + 1, '.')) {
      // A static import: to the first string after it (the specifier).
      let j = k + 1;
      while (j < tokens.length && tokens[j]!.kind !== 'value') j++;
      const stop = afterSpecifier(j);
      moved.push(code.slice(t.start, end(stop)).replace(/[\r\n]+/g, ' '));
      blank(t.start, end(stop));
      k = stop - 1;
    } else if (word(k, 'export')) {
      if (word(k + 1, 'default')) {
        const named = namedDeclaration(tokens, k + 2);
        if (named) {
          entry = named.kind === 'function' ? named.name : entry;
          defaultValue = named.name;
          blank(t.start, tokens[k + 1]!.end);
        } else {
          // `export default` (14 characters) becomes an assignment of the same length.
          defaultValue = DEFAULT_VALUE;
          const width = tokens[k + 1]!.end - t.start;
          const assign = `${DEFAULT_VALUE} =`;
          for (let i = 0; i < width; i++) body[t.start + i] = assign[i] ?? ' ';
        }
        k++;
      } else if (punct(k + 1, '{') || punct(k + 1, '*')) {
        // `export { a, b as default }` or a re-export: only the default matters to a run.
        let j = k + 1;
        if (punct(j, '{')) {
          for (j++; j < tokens.length && !punct(j, '}'); j++) {
            if (word(j, 'as') && word(j + 1, 'default') && word(j - 1)) defaultValue = (tokens[j - 1] as { text: string }).text;
          }
          j++;
        }
        let stop = j;
        if (word(j, 'from') || punct(k + 1, '*')) {
          while (stop < tokens.length && tokens[stop]!.kind !== 'value') stop++;
          stop = afterSpecifier(stop);
        } else if (punct(j, ';')) stop = j + 1;
        blank(t.start, end(stop));
        k = stop - 1;
      } else {
        blank(t.start, t.end); // export const / let / var / function / class / async function
      }
    }
  }

  const header = `const __sppEntry = ${entry === undefined ? 'undefined' : JSON.stringify(entry)}; export default async function ${PROGRAM_FUNCTION}() { let ${DEFAULT_VALUE};`;
  const trailer = `\nreturn { default: ${defaultValue ?? 'undefined'} };\n}\n${moved.join('\n')}\n`;
  return { code: `${header}\n${body.join('')}${trailer}`, mappings: `;${mappings}` };
}

/**
 * For a program made by {@link toProgramFactory}: the name of the function
 * it exports as its default (`main`, usually), or `null` when that is not a
 * named function; for messages that name it. `undefined` for any other code.
 */
export function programEntryName(code: string): string | null | undefined {
  const m = ENTRY_HEADER.exec(code);
  if (!m) return undefined;
  return m[1] === 'undefined' ? null : (JSON.parse(m[1]!) as string);
}

/** `[async] function [*] name` or `class name` at token `k`: its kind and name. */
function namedDeclaration(tokens: JsToken[], k: number): { kind: 'function' | 'class'; name: string } | undefined {
  const text = (j: number) => (tokens[j]?.kind === 'word' ? (tokens[j] as { text: string }).text : tokens[j]?.kind === 'punct' ? (tokens[j] as { text: string }).text : undefined);
  let j = k;
  if (text(j) === 'async') j++;
  if (text(j) === 'function') {
    j++;
    if (text(j) === '*') j++;
    const name = tokens[j];
    return name?.kind === 'word' ? { kind: 'function', name: name.text } : undefined;
  }
  if (text(k) === 'class') {
    const name = tokens[k + 1];
    return name?.kind === 'word' && name.text !== 'extends' ? { kind: 'class', name: name.text } : undefined;
  }
  return undefined;
}
