/** A 1-based line and column in a source file, as editors number them. */
export interface SourcePosition {
  line: number;
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map<string, number>([...BASE64].map((c, i) => [c, i]));

/** One decoded segment: generated column, then original line and column (all 0-based). */
type Segment = readonly [genColumn: number, srcLine: number, srcColumn: number];

/** Decodes the `mappings` field of a source map (version 3) into segments per generated line. */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let srcLine = 0;
  let srcColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Segment[] = [];
    let genColumn = 0;
    for (const segText of lineText.split(',')) {
      if (!segText) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segText) {
        const digit = DIGIT.get(ch);
        if (digit === undefined) throw new Error(`source map: bad character ${JSON.stringify(ch)}`);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genColumn += fields[0] ?? 0;
      if (fields.length >= 4) {
        srcLine += fields[2]!;
        srcColumn += fields[3]!;
        segments.push([genColumn, srcLine, srcColumn]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/**
 * Maps positions in transpiled code back to the source it came from, using
 * the `mappings` of a version 3 source map (one source file).
 *
 * @example
 * const toSource = createPositionMapper(result.mappings);
 * toSource({ line: 8, column: 26 }); // { line: 8, column: 31 } in the TypeScript
 */
export function createPositionMapper(mappings: string): (generated: SourcePosition) => SourcePosition {
  let decoded: Segment[][] | undefined;
  return (generated) => {
    decoded ??= decodeMappings(mappings);
    const segments = decoded[generated.line - 1];
    if (!segments || segments.length === 0) return generated;
    const col = generated.column - 1;
    let best = segments[0]!;
    for (const seg of segments) {
      if (seg[0] <= col) best = seg;
      else break;
    }
    // Inside a token the offset from its start carries over.
    const offset = Math.max(0, col - best[0]);
    return { line: best[1] + 1, column: best[2] + offset + 1 };
  };
}
