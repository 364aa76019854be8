import { checksum } from './checksum.js';
import { isValidExampleId, type ExampleCatalogue } from './example-id.js';
import { MAX_CODE_CHARS, MAX_FAULTS_JSON_CHARS, MAX_LINK_CHARS } from './limits.js';
import { compressForUrl, decompressBounded } from './lz-text.js';
import { formatSeed, isValidSeed, parseSeed, type Seed } from './seed.js';
import type { ShareDecodeError, ShareDecodeErrorKind, ShareEncodeError, SharedFaultPlan } from './share-link.js';
import { readLinkFields } from './link-fields.js';
import { isPlainObject } from './storage-problem.js';

/*
 * Compare link, version 1 (all in the URL hash, like a share link):
 *
 *   #cmp=1&ex=<example id>&seed=<seed>[&faults=<lz>][&code=<lz>]&vs=<kind>[&vsex=<id>|&vsseed=<seed>|&vsfaults=<lz>][&runs=<n>]&sum=<16 hex>
 *
 * The first variant is the code on screen (`code`; absent: the example's
 * starting code) with `seed` and `faults`. The second (`vs`) is one of:
 * - `starting`  the example's starting code, same seed and plan;
 * - `solution`  the reference solution of exercise `vsex`, same seed and plan;
 * - `faults`    the same code with the plan `vsfaults` (absent: no plan);
 * - `seed`      the same code and plan with seed `vsseed`.
 * `runs` present: compare over that many seeds from `seed` (each with a plan
 * drawn from the fault space around the variant's plan); absent: one seed.
 * `sum` is the checksum of the decoded content and comes last, so a cut-off
 * link is told apart from a damaged one.
 */

/** Most seeds a compare link may ask for (each runs twice). */
export const MAX_COMPARE_RUNS = 10_000;

/** What the first variant (the code on screen) is compared against. */
export type CompareAgainst =
  | { kind: 'starting' }
  | { kind: 'solution'; exerciseId: string }
  | { kind: 'faults'; faults: SharedFaultPlan }
  | { kind: 'seed'; seed: Seed };

/** What a compare link reproduces. */
export interface CompareState {
  exampleId: string;
  /** The seed of a single run, or the first seed of many. */
  seed: Seed;
  /** The first variant's code, only when it differs from the starting code. */
  code?: string;
  /** The first variant's fault plan, when it has one. */
  faults?: SharedFaultPlan;
  against: CompareAgainst;
  /** Compare over this many seeds; absent: one seed. */
  runs?: number;
}

/** A decoded and checked compare link. */
export interface CompareLink extends CompareState {
  version: 1;
}

/** Result of {@link encodeCompareLink}. */
export type CompareEncodeResult = { ok: true; url: string; hash: string } | { ok: false; error: Omit<ShareEncodeError, 'field'> & { field: string } };

/** Result of {@link decodeCompareLink}: `empty` when the hash is not a compare link at all. */
export type CompareDecodeResult = { ok: true; link: CompareLink } | { ok: false; error: ShareDecodeError };

const VERSION = '1';
const KNOWN_KEYS = new Set(['cmp', 'ex', 'seed', 'faults', 'code', 'vs', 'vsex', 'vsseed', 'vsfaults', 'runs', 'sum']);
const KINDS = new Set(['starting', 'solution', 'faults', 'seed']);

/**
 * Makes a link that reproduces a compare. Never throws: what cannot travel in
 * a link gives an error with a sentence for the user.
 *
 * @example
 * encodeCompareLink({ exampleId: 'circuit-breaker', seed: 42, against: { kind: 'solution', exerciseId: 'one-trial' }, runs: 200 }, location.href);
 */
export function encodeCompareLink(state: CompareState, baseUrl: string): CompareEncodeResult {
  const fail = (kind: 'invalid' | 'oversized', field: string, message: string): CompareEncodeResult => ({ ok: false, error: { kind, field, message } });
  if (!isValidExampleId(state.exampleId)) return fail('invalid', 'exampleId', `"${String(state.exampleId)}" is not a valid example id, so no link was made.`);
  if (!isValidSeed(state.seed)) return fail('invalid', 'seed', 'The seed must be a whole number or 1–32 letters, digits, "_" or "-", so no link was made.');
  if (state.code !== undefined && state.code.length > MAX_CODE_CHARS)
    return fail('oversized', 'code', `The code has ${state.code.length} characters; a link can carry at most ${MAX_CODE_CHARS}. Shorten it to share it.`);
  if (state.runs !== undefined && !validRuns(state.runs)) return fail('invalid', 'runs', `The number of seeds must be a whole number from 1 to ${MAX_COMPARE_RUNS}, so no link was made.`);
  const faultsJson = state.faults === undefined ? undefined : planJson(state.faults);
  if (faultsJson === null) return fail('invalid', 'faults', 'The fault plan is not a plain JSON object, so no link was made.');
  const a = state.against;
  let vsFaultsJson: string | undefined;
  if (a.kind === 'solution' && !isValidExampleId(a.exerciseId)) return fail('invalid', 'against', `"${String(a.exerciseId)}" is not a valid exercise id, so no link was made.`);
  if (a.kind === 'seed' && !isValidSeed(a.seed)) return fail('invalid', 'against', 'The other seed must be a whole number or 1–32 letters, digits, "_" or "-", so no link was made.');
  if (a.kind === 'faults') {
    const json = planJson(a.faults);
    if (json === null || json === undefined) return fail('invalid', 'against', 'The other fault plan is not a plain JSON object, so no link was made.');
    vsFaultsJson = json;
  }
  for (const json of [faultsJson, vsFaultsJson])
    if (json !== undefined && json.length > MAX_FAULTS_JSON_CHARS) return fail('oversized', 'faults', `A fault plan is ${json.length} characters of JSON; a link can carry at most ${MAX_FAULTS_JSON_CHARS}.`);

  const fields = contentFields({
    ex: state.exampleId,
    seed: formatSeed(state.seed),
    faults: faultsJson,
    code: state.code,
    vs: a.kind,
    vsex: a.kind === 'solution' ? a.exerciseId : undefined,
    vsseed: a.kind === 'seed' ? formatSeed(a.seed) : undefined,
    vsfaults: vsFaultsJson,
    runs: state.runs === undefined ? undefined : String(state.runs),
  });
  const compressed = new Set(['faults', 'code', 'vsfaults']);
  let hash = `cmp=${VERSION}`;
  for (const [k, v] of fields) hash += `&${k}=${compressed.has(k) ? compressForUrl(v) : v}`;
  hash += `&sum=${checksum(checksumText(fields))}`;
  const hashAt = baseUrl.indexOf('#');
  const url = `${hashAt === -1 ? baseUrl : baseUrl.slice(0, hashAt)}#${hash}`;
  if (url.length > MAX_LINK_CHARS) return fail('oversized', 'link', `The link would be ${url.length} characters long; the limit is ${MAX_LINK_CHARS}. Shorten the code to share it.`);
  return { ok: true, url, hash: `#${hash}` };
}

/** Options of {@link decodeCompareLink}. */
export interface DecodeCompareLinkOptions {
  isKnownExample?: ExampleCatalogue;
}

/**
 * Reads a compare link from a URL or a hash. A hash that is not a compare
 * link gives the error `empty` (the caller then tries a share link). Either
 * everything checks out, or nothing of the link's code or plans is returned.
 *
 * @example
 * const r = decodeCompareLink(location.href);
 * if (r.ok) startCompare(r.link);
 * else if (r.error.kind !== 'empty') banner(r.error.message);
 */
export function decodeCompareLink(hashOrUrl: string, options: DecodeCompareLinkOptions = {}): CompareDecodeResult {
  const fail = (kind: ShareDecodeErrorKind, message: string, exampleId?: string): CompareDecodeResult => ({
    ok: false,
    error: exampleId === undefined ? { kind, message } : { kind, message, exampleId },
  });
  if (typeof hashOrUrl !== 'string') return fail('empty', 'There is no compare in this link.');
  const at = hashOrUrl.indexOf('#');
  const hash = at === -1 ? (/^cmp=?/.test(hashOrUrl) ? hashOrUrl : '') : hashOrUrl.slice(at + 1);
  if (!hash.startsWith('cmp')) return fail('empty', 'There is no compare in this link.');
  if (hashOrUrl.length > MAX_LINK_CHARS) return fail('oversized', `This link is ${hashOrUrl.length} characters long, more than the ${MAX_LINK_CHARS} this page reads. Nothing from it was loaded.`);
  const pairs = hash.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq === -1 ? { key: part, value: undefined } : { key: part.slice(0, eq), value: part.slice(eq + 1) };
  });
  const version = pairs[0]!.value;
  if (pairs[0]!.key !== 'cmp') return fail('empty', 'There is no compare in this link.');
  if (version !== undefined && version !== VERSION && /^\d{1,6}$/.test(version))
    return fail('unknown-version', `This compare link was made by a newer version of the playground (format ${version}; this page reads ${VERSION}). Reload the page to get the latest version; nothing from the link was loaded.`);

  const catalogue = options.isKnownExample;
  const exPair = pairs.find((p) => p.key === 'ex');
  const last = pairs[pairs.length - 1]!;
  const trusted = (complete: boolean) => {
    const id = exPair?.value;
    if (!complete || id === undefined || !isValidExampleId(id)) return undefined;
    return catalogue && !known(catalogue, id) ? undefined : id;
  };
  const sums = pairs.filter((p) => p.key === 'sum');
  if (sums.length === 0 || (sums.length === 1 && /^[0-9a-f]{0,15}$/.test(sums[0]!.value ?? ''))) {
    const id = trusted(exPair !== undefined && exPair !== last);
    return fail('truncated', `This compare link was cut off before its end, so nothing from it was loaded.${note(id)} Ask for the complete link.`, id);
  }
  const id = trusted(true);
  const malformed = (what: string) => fail('malformed', `This compare link is not valid (${what}), so nothing from it was loaded.${note(id)}`, id);
  if (version !== VERSION) return malformed('its version is not a number');
  const read = readLinkFields(pairs, KNOWN_KEYS);
  if ('problem' in read) return malformed(read.problem);
  const { values } = read;
  const sum = values.get('sum')!;
  if (!/^[0-9a-f]{16}$/.test(sum)) return malformed('its checksum is not 16 hexadecimal digits');
  const exampleId = values.get('ex');
  if (exampleId === undefined || !isValidExampleId(exampleId)) return malformed('it names no valid example');
  const seedText = values.get('seed');
  const seed = seedText === undefined ? undefined : parseSeed(seedText);
  if (seed === undefined) return malformed('its seed must be a whole number or up to 32 letters, digits, "_" or "-"');
  const kind = values.get('vs');
  if (kind === undefined || !KINDS.has(kind)) return malformed('it does not say what to compare against');
  const own: Record<string, string> = { solution: 'vsex', seed: 'vsseed', faults: 'vsfaults', starting: '' };
  const stray = ['vsex', 'vsseed', 'vsfaults'].find((k) => values.has(k) && k !== own[kind]);
  if (stray) return malformed(`the field "${stray}" does not go with "vs=${kind}"`);
  const runsText = values.get('runs');
  const runs = runsText === undefined ? undefined : /^\d{1,6}$/.test(runsText) ? Number(runsText) : NaN;
  if (runs !== undefined && !validRuns(runs)) return malformed(`its number of seeds must be from 1 to ${MAX_COMPARE_RUNS}`);

  const decoded = new Map<string, string>();
  for (const [k, max] of [
    ['faults', MAX_FAULTS_JSON_CHARS],
    ['code', MAX_CODE_CHARS],
    ['vsfaults', MAX_FAULTS_JSON_CHARS],
  ] as const) {
    const part = values.get(k);
    if (part === undefined) continue;
    const r = decompressBounded(part, max);
    if (r.kind === 'bad-characters') return malformed(`the part "${k}" has characters a compressed part cannot have`);
    if (r.kind === 'too-long') return fail('oversized', `The part "${k}" of this compare link is larger than ${max} characters, so nothing from the link was loaded.${note(id)}`, id);
    if (r.kind === 'broken') return fail('corrupt', `This compare link is damaged (the part "${k}" does not decompress), so nothing from it was loaded.${note(id)}`, id);
    decoded.set(k, r.text);
  }
  const fields = contentFields({
    ex: exampleId,
    seed: seedText!,
    faults: decoded.get('faults'),
    code: decoded.get('code'),
    vs: kind,
    vsex: values.get('vsex'),
    vsseed: values.get('vsseed'),
    vsfaults: decoded.get('vsfaults'),
    runs: runsText,
  });
  if (checksum(checksumText(fields)) !== sum) return fail('corrupt', `This compare link is damaged (its content does not match its checksum), so nothing from it was loaded.${note(id)}`, id);

  const plan = (k: 'faults' | 'vsfaults'): SharedFaultPlan | undefined | null => {
    const json = decoded.get(k);
    if (json === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(json);
      return isPlainObject(parsed) ? parsed : null;
    } catch {
      return null;
    }
  };
  const faults = plan('faults');
  if (faults === null) return malformed('its fault plan is not a JSON object');
  let against: CompareAgainst;
  if (kind === 'solution') {
    const exerciseId = values.get('vsex');
    if (exerciseId === undefined || !isValidExampleId(exerciseId)) return malformed('it names no valid exercise');
    against = { kind, exerciseId };
  } else if (kind === 'seed') {
    const other = parseSeed(values.get('vsseed') ?? '');
    if (other === undefined) return malformed('its other seed is not a valid seed');
    against = { kind, seed: other };
  } else if (kind === 'faults') {
    const other = plan('vsfaults');
    if (other === null) return malformed('its other fault plan is not a JSON object');
    against = { kind, faults: other ?? {} };
  } else against = { kind: 'starting' };
  if (catalogue && !known(catalogue, exampleId))
    return fail('unknown-example', `This compare link opens an example called "${exampleId}", which this version of the playground does not have. Nothing from the link was loaded.`);

  const link: CompareLink = { version: 1, exampleId, seed, against };
  if (decoded.has('code')) link.code = decoded.get('code')!;
  if (faults !== undefined) link.faults = faults;
  if (runs !== undefined) link.runs = runs;
  return { ok: true, link };
}

type Fields = Record<'ex' | 'seed' | 'faults' | 'code' | 'vs' | 'vsex' | 'vsseed' | 'vsfaults' | 'runs', string | undefined>;

/** The present fields, in link order (the code's part before what follows it, like a share link). */
function contentFields(f: Fields): Array<[string, string]> {
  const order = ['ex', 'seed', 'faults', 'code', 'vs', 'vsex', 'vsseed', 'vsfaults', 'runs'] as const;
  return order.flatMap((k) => (f[k] === undefined ? [] : [[k, f[k]!] as [string, string]]));
}

/** The checksummed text: every present field with its length, so no two contents read alike. */
function checksumText(fields: Array<[string, string]>): string {
  return [`cmp=${VERSION}`, ...fields.map(([k, v]) => `${k}:${v.length}:${v}`)].join('\n');
}

const validRuns = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_COMPARE_RUNS;

/** The JSON of a plain object; undefined for none; null for anything else. */
function planJson(plan: unknown): string | undefined | null {
  if (plan === undefined) return undefined;
  if (!isPlainObject(plan)) return null;
  try {
    const json = JSON.stringify(plan);
    return json?.startsWith('{') ? json : null;
  } catch {
    return null;
  }
}

function known(catalogue: ExampleCatalogue, id: string): boolean {
  try {
    return catalogue(id) === true;
  } catch {
    return false;
  }
}

const note = (id: string | undefined) => (id === undefined ? '' : ` The example "${id}" is opened as usual instead.`);
