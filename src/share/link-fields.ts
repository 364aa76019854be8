/** One `key=value` part of a link's hash; `value` is undefined when the part has no `=`. */
export interface LinkPair {
  key: string;
  value: string | undefined;
}

/**
 * Reads a link's parts into a map of field → decoded value, or says in plain
 * words what is wrong with them: a part without a value, a field this link
 * kind does not have, a field twice, or broken `%`-escapes. The compare and
 * explore links share it; the caller wraps the problem in its own message.
 */
export function readLinkFields(pairs: readonly LinkPair[], known: ReadonlySet<string>): { values: Map<string, string> } | { problem: string } {
  const values = new Map<string, string>();
  for (const p of pairs) {
    if (p.value === undefined) return { problem: `its part "${clipKey(p.key)}" has no value` };
    if (!known.has(p.key)) return { problem: `it has an unknown field "${clipKey(p.key)}"` };
    if (values.has(p.key)) return { problem: `the field "${p.key}" appears twice` };
    let v = p.value;
    if (v.includes('%')) {
      try {
        v = decodeURIComponent(v);
      } catch {
        return { problem: `the field "${p.key}" has broken %-escapes` };
      }
    }
    values.set(p.key, v);
  }
  return { values };
}

const clipKey = (text: string) => (text.length > 24 ? `${text.slice(0, 24)}…` : text);
