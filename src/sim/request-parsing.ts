/** Parsing the parts of a request: its URL, its query string, its headers. */

/** A request URL split into the service it names, the path and the raw query. */
export interface ParsedUrl {
  host: string;
  path: string;
  query: string | undefined;
}

const URL_RE = /^(?:https?:)?\/\/([^/:?#]+)(?::\d+)?([^?#]*)(?:\?([^#]*))?/i;

/** Splits `http://<service>/<path>?<query>`; `undefined` when the URL has no such shape. */
export function parseRequestUrl(url: string): ParsedUrl | undefined {
  const m = URL_RE.exec(url);
  return m ? { host: m[1]!, path: m[2] || '/', query: m[3] } : undefined;
}

/** Percent-decoding that keeps a malformed escape (`100%`) as written, as Express's query parser does. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The query string as a record, decoded as Express does. */
export function parseQuery(q: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!q) return out;
  for (const part of q.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = safeDecode(i < 0 ? part : part.slice(0, i));
    out[k] = i < 0 ? '' : safeDecode(part.slice(i + 1).replace(/\+/g, ' '));
  }
  return out;
}

/** A copy of the headers with lower-case names and string values. */
export function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h) for (const k of Object.keys(h)) out[k.toLowerCase()] = String(h[k]);
  return out;
}
