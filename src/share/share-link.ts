import { checksum } from './checksum.js';
import { isValidExampleId, type ExampleCatalogue } from './example-id.js';
import { MAX_CODE_CHARS, MAX_FAULTS_JSON_CHARS, MAX_LINK_CHARS } from './limits.js';
import { compressForUrl, decompressBounded } from './lz-text.js';
import { formatSeed, isValidSeed, parseSeed, type Seed } from './seed.js';
import { isPlainObject } from './storage-problem.js';

/*
 * Link format, version 1 (all of it in the URL hash, so it never reaches a server):
 *
 *   #v=1&ex=<example id>&seed=<seed>[&faults=<lz>][&code=<lz>]&sum=<16 hex>
 *
 * - v      format version; only 1 is understood.
 * - ex     example id (A-Z a-z 0-9 _ . -, up to 64).
 * - seed   a safe integer in decimal, or 1–32 of A-Z a-z 0-9 _ -.
 * - faults the fault plan as JSON, lz-string compressToEncodedURIComponent; absent: no plan.
 * - code   the edited code, same compression; absent: the example's original code.
 * - sum    checksum() of the decoded content (see contentForChecksum), always written last.
 *
 * Because `sum` is last and has a fixed length, a link cut off anywhere lacks a
 * complete `sum` and is reported as truncated; a damaged character anywhere
 * makes the checksum disagree with what decompresses. Values may arrive
 * percent-encoded (some chat apps escape `$`); they are decoded once.
 */

/** The fault plan a link carries: any JSON object. The page validates it against the kernel. */
export type SharedFaultPlan = Readonly<Record<string, unknown>>;

/** What a link reproduces. */
export interface ShareState {
  /** Id of the example the link opens. */
  exampleId: string;
  /** Seed of the run. */
  seed: Seed;
  /** The code, only when the user edited it; omit for the example's original code. */
  code?: string;
  /** The fault plan, when one is set. */
  faults?: SharedFaultPlan;
}

/** A fully decoded and checked link. */
export interface ShareLink extends ShareState {
  /** Format version of the link. */
  version: 1;
}

/** Why a link could not be made. */
export interface ShareEncodeError {
  kind: 'invalid' | 'oversized';
  /** The field at fault. */
  field: 'exampleId' | 'seed' | 'code' | 'faults' | 'link';
  /** A sentence for the user. */
  message: string;
}

/** Result of {@link encodeShareLink}. */
export type ShareEncodeResult = { ok: true; url: string; hash: string } | { ok: false; error: ShareEncodeError };

/** Kinds of unusable links. */
export type ShareDecodeErrorKind =
  /** There is no share data at all (no hash): load the page as usual, show no banner. */
  | 'empty'
  /** Not a link this page writes: bad syntax, missing or unknown fields, invalid values. */
  | 'malformed'
  /** The link was cut off before its end. */
  | 'truncated'
  /** The link, its code or its fault plan is larger than the limits. */
  | 'oversized'
  /** A link format this page does not know (made by a newer version). */
  | 'unknown-version'
  /** Complete but damaged: the content does not match its checksum, or does not decompress. */
  | 'corrupt'
  /** A well-formed link to an example this page does not have. */
  | 'unknown-example';

/** Why a link was not used. Nothing of its code or fault plan is ever returned with it. */
export interface ShareDecodeError {
  kind: ShareDecodeErrorKind;
  /** A sentence or two for a banner. */
  message: string;
  /**
   * The example the link names, when that part itself is intact (and, with a
   * catalogue, known): the page can open that example with its original code.
   */
  exampleId?: string;
}

/** Result of {@link decodeShareLink}. */
export type ShareDecodeResult = { ok: true; link: ShareLink } | { ok: false; error: ShareDecodeError };

/** Options of {@link decodeShareLink}. */
export interface DecodeShareLinkOptions {
  /** When given, a link to an example for which this returns false is 'unknown-example'. */
  isKnownExample?: ExampleCatalogue;
}

const VERSION = '1';
const KNOWN_KEYS = new Set(['v', 'ex', 'seed', 'faults', 'code', 'sum']);

/**
 * Makes a share link: `baseUrl` without its hash, plus the hash described at
 * the top of this file. Never throws; a state that cannot be shared gives an
 * error with a message for the user.
 *
 * @example
 * const r = encodeShareLink({ exampleId: 'retry', seed: 7 }, 'https://example.org/play/');
 * if (r.ok) r.url; // 'https://example.org/play/#v=1&ex=retry&seed=7&sum=…'
 */
export function encodeShareLink(state: ShareState, baseUrl: string): ShareEncodeResult {
  const fail = (kind: ShareEncodeError['kind'], field: ShareEncodeError['field'], message: string): ShareEncodeResult => ({
    ok: false,
    error: { kind, field, message },
  });
  if (!isValidExampleId(state.exampleId)) {
    return fail('invalid', 'exampleId', `"${String(state.exampleId)}" is not a valid example id, so no link was made.`);
  }
  if (!isValidSeed(state.seed)) {
    return fail(
      'invalid',
      'seed',
      'The seed must be a whole number or 1–32 letters, digits, "_" or "-", so no link was made.',
    );
  }
  if (state.code !== undefined && typeof state.code !== 'string') {
    return fail('invalid', 'code', 'The code is not text, so no link was made.');
  }
  if (state.code !== undefined && state.code.length > MAX_CODE_CHARS) {
    return fail(
      'oversized',
      'code',
      `The code has ${state.code.length} characters; a link can carry at most ${MAX_CODE_CHARS}. Shorten it to share it.`,
    );
  }
  let faultsJson: string | undefined;
  if (state.faults !== undefined) {
    const json = faultsToJson(state.faults);
    if (json === undefined) {
      return fail('invalid', 'faults', 'The fault plan is not a plain JSON object, so no link was made.');
    }
    if (json.length > MAX_FAULTS_JSON_CHARS) {
      return fail(
        'oversized',
        'faults',
        `The fault plan is ${json.length} characters of JSON; a link can carry at most ${MAX_FAULTS_JSON_CHARS}.`,
      );
    }
    faultsJson = json;
  }
  const seedText = formatSeed(state.seed);
  let hash = `v=${VERSION}&ex=${state.exampleId}&seed=${seedText}`;
  if (faultsJson !== undefined) hash += `&faults=${compressForUrl(faultsJson)}`;
  if (state.code !== undefined) hash += `&code=${compressForUrl(state.code)}`;
  hash += `&sum=${checksum(contentForChecksum(state.exampleId, seedText, faultsJson, state.code))}`;
  const hashAt = baseUrl.indexOf('#');
  const url = `${hashAt === -1 ? baseUrl : baseUrl.slice(0, hashAt)}#${hash}`;
  if (url.length > MAX_LINK_CHARS) {
    return fail(
      'oversized',
      'link',
      `The link would be ${url.length} characters long; the limit is ${MAX_LINK_CHARS}. Shorten the code to share it.`,
    );
  }
  return { ok: true, url, hash: `#${hash}` };
}

/**
 * Reads a share link from a whole URL, a hash (`#v=1&…`) or the hash's text
 * without `#`. Either everything in the link checks out and is returned, or
 * an error is returned and nothing of the link's code or fault plan is.
 *
 * Checks, in order: size; presence of data ('empty'); version; completeness
 * ('truncated': no complete `sum`); syntax and fields ('malformed'); sizes of
 * the compressed parts ('oversized'); decompression and checksum ('corrupt');
 * the fault plan is a JSON object ('malformed'); the example exists
 * ('unknown-example').
 *
 * @example
 * const r = decodeShareLink(location.hash, { isKnownExample: (id) => catalogue.has(id) });
 * if (r.ok) open(r.link);
 * else if (r.error.kind !== 'empty') showBanner(r.error.message);
 */
export function decodeShareLink(hashOrUrl: string, options: DecodeShareLinkOptions = {}): ShareDecodeResult {
  const fail = (kind: ShareDecodeErrorKind, message: string, exampleId?: string): ShareDecodeResult => ({
    ok: false,
    error: exampleId === undefined ? { kind, message } : { kind, message, exampleId },
  });
  if (typeof hashOrUrl !== 'string') return fail('malformed', 'This is not a link.');
  if (hashOrUrl.length > MAX_LINK_CHARS) {
    return fail(
      'oversized',
      `This link is ${hashOrUrl.length} characters long, more than the ${MAX_LINK_CHARS} this page reads. Nothing from it was loaded.`,
    );
  }
  const hash = hashPart(hashOrUrl);
  if (hash === '') return fail('empty', 'There is no shared run in this link.');

  const pairs = hash.split('&').map(splitPair);
  const last = pairs[pairs.length - 1]!;
  const vPairs = pairs.filter((p) => p.key === 'v');
  if (vPairs.length === 0) {
    if (`v=${VERSION}&`.startsWith(hash)) return fail('truncated', cutOffMessage(undefined));
    return fail('malformed', 'This link does not hold a shared run of this playground, so nothing from it was loaded.');
  }
  const version = vPairs[0]!.value;
  if (vPairs.length === 1 && version !== VERSION && version !== undefined && /^\d{1,6}$/.test(version)) {
    return fail(
      'unknown-version',
      `This link was made by a newer version of the playground (link format ${version}; this page reads format ${VERSION}). Reload the page to get the latest version; nothing from the link was loaded.`,
    );
  }

  // Only the example id of a complete pair can be trusted, and only when it looks right.
  const exPair = pairs.find((p) => p.key === 'ex');
  const catalogue = options.isKnownExample;
  const trustedId = (complete: boolean): string | undefined => {
    const id = exPair?.value;
    if (!complete || id === undefined || !isValidExampleId(id)) return undefined;
    if (catalogue !== undefined && !safeKnown(catalogue, id)) return undefined;
    return id;
  };

  const sumPairs = pairs.filter((p) => p.key === 'sum');
  // `sum` is written last with 16 digits: missing, or a prefix of it, means the link was cut.
  const sumCut = sumPairs.length === 1 && /^[0-9a-f]{0,15}$/.test(sumPairs[0]!.value ?? '');
  if (sumPairs.length === 0 || sumCut) {
    const id = trustedId(exPair !== undefined && exPair !== last);
    return fail('truncated', cutOffMessage(id), id);
  }

  // From here on the link is complete; anything odd is malformed.
  const id = trustedId(true);
  const malformed = (what: string): ShareDecodeResult =>
    fail('malformed', `This link is not valid (${what}), so its code and settings were not loaded.${originalNote(id)}`, id);

  if (vPairs.length > 1 || version !== VERSION) return malformed('its version field is not a number');
  const seen = new Set<string>();
  for (const p of pairs) {
    if (p.key === '') return malformed('it has an empty part');
    if (p.value === undefined) return malformed(`its part "${clip(p.key)}" has no value`);
    if (!KNOWN_KEYS.has(p.key)) return malformed(`it has an unknown field "${clip(p.key)}"`);
    if (seen.has(p.key)) return malformed(`the field "${p.key}" appears twice`);
    seen.add(p.key);
  }
  const values = new Map<string, string>();
  for (const p of pairs) {
    const decoded = percentDecode(p.value!);
    if (decoded === undefined) return malformed(`the field "${p.key}" has broken %-escapes`);
    values.set(p.key, decoded);
  }
  const sum = values.get('sum')!;
  if (!/^[0-9a-f]{16}$/.test(sum)) return malformed('its checksum is not 16 hexadecimal digits');
  const exampleId = values.get('ex');
  if (exampleId === undefined) return malformed('it names no example');
  if (!isValidExampleId(exampleId)) return malformed('the example name has characters an example id cannot have');
  const seedText = values.get('seed');
  if (seedText === undefined) return malformed('it has no seed');
  const seed = parseSeed(seedText);
  if (seed === undefined) {
    return malformed('the seed must be a whole number or up to 32 letters, digits, "_" or "-"');
  }

  let faultsJson: string | undefined;
  const faultsPart = values.get('faults');
  if (faultsPart !== undefined) {
    const r = decompressBounded(faultsPart, MAX_FAULTS_JSON_CHARS);
    if (r.kind === 'bad-characters') return malformed('the fault plan has characters a compressed part cannot have');
    if (r.kind === 'too-long') {
      return fail(
        'oversized',
        `The fault plan in this link is larger than ${MAX_FAULTS_JSON_CHARS} characters, so nothing from the link was loaded.${originalNote(id)}`,
        id,
      );
    }
    if (r.kind === 'broken') return fail('corrupt', damagedMessage('the fault plan part does not decompress', id), id);
    faultsJson = r.text;
  }
  let code: string | undefined;
  const codePart = values.get('code');
  if (codePart !== undefined) {
    const r = decompressBounded(codePart, MAX_CODE_CHARS);
    if (r.kind === 'bad-characters') return malformed('the code has characters a compressed part cannot have');
    if (r.kind === 'too-long') {
      return fail(
        'oversized',
        `The code in this link is longer than ${MAX_CODE_CHARS} characters, so it was not loaded.${originalNote(id)}`,
        id,
      );
    }
    if (r.kind === 'broken') return fail('corrupt', damagedMessage('the code part does not decompress', id), id);
    code = r.text;
  }
  if (checksum(contentForChecksum(exampleId, seedText, faultsJson, code)) !== sum) {
    return fail('corrupt', damagedMessage('its content does not match its checksum', id), id);
  }

  let faults: SharedFaultPlan | undefined;
  if (faultsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(faultsJson);
    } catch {
      return malformed('the fault plan is not JSON');
    }
    if (!isPlainObject(parsed)) return malformed('the fault plan is not a JSON object');
    faults = parsed;
  }
  if (catalogue !== undefined && !safeKnown(catalogue, exampleId)) {
    return fail(
      'unknown-example',
      `This link opens an example called "${exampleId}", which this version of the playground does not have. Nothing from the link was loaded.`,
    );
  }
  const link: ShareLink = { version: 1, exampleId, seed };
  if (code !== undefined) link.code = code;
  if (faults !== undefined) link.faults = faults;
  return { ok: true, link };
}

/** The text the checksum covers: every decoded field, absent ones marked as absent. */
function contentForChecksum(exampleId: string, seedText: string, faultsJson: string | undefined, code: string | undefined): string {
  // JSON.stringify output has no raw line breaks and code comes last, so the layout is unambiguous.
  return [
    `v=${VERSION}`,
    `ex=${exampleId}`,
    `seed=${seedText}`,
    faultsJson === undefined ? 'faults-' : `faults+${faultsJson}`,
    code === undefined ? 'code-' : `code+${code}`,
  ].join('\n');
}

function faultsToJson(faults: unknown): string | undefined {
  if (!isPlainObject(faults)) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(faults);
  } catch {
    return undefined; // cycles, BigInt
  }
  if (json === undefined) return undefined;
  // Something like { toJSON() { return 1 } } serialises to a non-object.
  return json.startsWith('{') ? json : undefined;
}

function hashPart(input: string): string {
  const at = input.indexOf('#');
  if (at !== -1) return input.slice(at + 1);
  // A URL without a hash carries no link; anything else is taken as the hash text itself.
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(input) || input.startsWith('/') || input.startsWith('?') ? '' : input;
}

function splitPair(part: string): { key: string; value: string | undefined } {
  const eq = part.indexOf('=');
  return eq === -1 ? { key: part, value: undefined } : { key: part.slice(0, eq), value: part.slice(eq + 1) };
}

function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function safeKnown(catalogue: ExampleCatalogue, id: string): boolean {
  try {
    return catalogue(id) === true;
  } catch {
    return false;
  }
}

function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}

function originalNote(exampleId: string | undefined): string {
  return exampleId === undefined ? '' : ` The example "${exampleId}" is opened with its original code instead.`;
}

function cutOffMessage(exampleId: string | undefined): string {
  return `This link was cut off before its end (perhaps by the app it was sent through), so its code and settings were not loaded.${originalNote(exampleId)} Ask for the complete link.`;
}

function damagedMessage(what: string, exampleId: string | undefined): string {
  return `This link is damaged (${what}), so its code and settings were not loaded.${originalNote(exampleId)}`;
}
