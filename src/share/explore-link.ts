import { checksum } from './checksum.js';
import { isValidExampleId, type ExampleCatalogue } from './example-id.js';
import { MAX_CODE_CHARS, MAX_FAULTS_JSON_CHARS, MAX_LINK_CHARS } from './limits.js';
import { hashPart, isExploreLink } from './explore-link-hash.js';
import { compressForUrl, decompressBounded } from './lz-text.js';
import { formatSeed, isValidSeed, parseSeed, type Seed } from './seed.js';
import { readLinkFields } from './link-fields.js';
import { isPlainObject } from './storage-problem.js';

/*
 * Explore link, version 1: a link that reproduces an explore (the same
 * program over the same seeds with plans drawn from the same fault space, so
 * the same counts), next to the run links of share-link.ts:
 *
 *   #xv=1&ex=<example id>&seed=<first seed>&runs=<n>&space=<lz>[&code=<lz>]&sum=<16 hex>
 *
 * - xv     explore link version; only 1 is understood. A run link starts with `v=`.
 * - ex     example id (its checks judge the runs).
 * - seed   the base seed of the explore's seeds, written as a run link writes a seed, except
 *          that a text seed that reads as a number gets a `~` in front: seeds `0`, `1`, … and
 *          `0-0`, `0-1`, … are different explores.
 * - runs   how many seeds, 1–100,000, in decimal.
 * - space  the fault space as JSON, lz-string compressed (the page checks it against the kernel).
 * - code   the program, same compression; absent: the example's original code.
 * - sum    checksum() of the decoded content, always last (a cut link has no complete sum).
 *
 * One counterexample of an explore is an ordinary run link (seed and plan), so
 * it opens as a normal run; only the explore itself needs this format.
 */

/** Most runs an explore link may ask for (the explore engine's own maximum). */
export const MAX_LINK_EXPLORE_RUNS = 100_000;

/** What an explore link reproduces. */
export interface ExploreLinkState {
  exampleId: string;
  /** The first of the explore's seeds. */
  baseSeed: Seed;
  runs: number;
  /** The fault space, any JSON object; the page validates it. */
  space: Readonly<Record<string, unknown>>;
  /** The program, only when it differs from the example's original code. */
  code?: string;
}

/** Result of {@link encodeExploreLink}. */
export type ExploreLinkEncodeResult = { ok: true; url: string; hash: string } | { ok: false; message: string };

/** Why an explore link was not used; nothing of its code or space comes with it. */
export interface ExploreLinkError {
  kind: 'malformed' | 'truncated' | 'oversized' | 'unknown-version' | 'corrupt' | 'unknown-example';
  /** A sentence or two for a banner. */
  message: string;
  /** The example the link names, when that part is intact and known. */
  exampleId?: string;
}

/**
 * Result of {@link decodeExploreLink}: `none` when the address holds no
 * explore link at all (it may hold a run link, or nothing).
 */
export type ExploreLinkDecodeResult = { kind: 'none' } | { kind: 'ok'; link: ExploreLinkState } | { kind: 'error'; error: ExploreLinkError };

const VERSION = '1';
const KEYS = new Set(['xv', 'ex', 'seed', 'runs', 'space', 'code', 'sum']);

/**
 * Makes an explore link on `baseUrl` (its hash replaced). Never throws; a
 * state that cannot travel gives a message for the user.
 *
 * @example
 * encodeExploreLink({ exampleId: 'choreography-saga', baseSeed: 1, runs: 1000, space }, location.href);
 */
export function encodeExploreLink(state: ExploreLinkState, baseUrl: string): ExploreLinkEncodeResult {
  const fail = (message: string): ExploreLinkEncodeResult => ({ ok: false, message });
  if (!isValidExampleId(state.exampleId)) return fail(`"${String(state.exampleId)}" is not a valid example id, so no link was made.`);
  if (!isValidSeed(state.baseSeed)) return fail('The first seed must be a whole number or 1–32 letters, digits, "_" or "-", so no link was made.');
  if (!isRunCount(state.runs)) return fail(`The number of runs must be a whole number from 1 to ${MAX_LINK_EXPLORE_RUNS.toLocaleString('en-US')}, so no link was made.`);
  if (state.code !== undefined && (typeof state.code !== 'string' || state.code.length > MAX_CODE_CHARS)) {
    return fail(`The code is longer than the ${MAX_CODE_CHARS} characters a link can carry. Shorten it to share the explore.`);
  }
  const spaceJson = objectJson(state.space);
  if (spaceJson === undefined) return fail('The fault space is not a plain JSON object, so no link was made.');
  if (spaceJson.length > MAX_FAULTS_JSON_CHARS) return fail(`The fault space is ${spaceJson.length} characters of JSON; a link can carry at most ${MAX_FAULTS_JSON_CHARS}.`);
  const seedText = formatBaseSeed(state.baseSeed);
  let hash = `xv=${VERSION}&ex=${state.exampleId}&seed=${seedText}&runs=${state.runs}&space=${compressForUrl(spaceJson)}`;
  if (state.code !== undefined) hash += `&code=${compressForUrl(state.code)}`;
  hash += `&sum=${checksum(content(state.exampleId, seedText, state.runs, spaceJson, state.code))}`;
  const at = baseUrl.indexOf('#');
  const url = `${at === -1 ? baseUrl : baseUrl.slice(0, at)}#${hash}`;
  if (url.length > MAX_LINK_CHARS) return fail(`The link would be ${url.length} characters long; the limit is ${MAX_LINK_CHARS}. Shorten the code to share the explore.`);
  return { ok: true, url, hash: `#${hash}` };
}

/**
 * Reads an explore link from a whole URL or its hash. Either everything in it
 * checks out and is returned, or an error says what is wrong (and which
 * example it named, when that part is intact) and nothing else of it is used.
 *
 * @example
 * const r = decodeExploreLink(location.href, { isKnownExample: (id) => library.has(id) });
 * if (r.kind === 'ok') startExplore(r.link);
 */
export function decodeExploreLink(hashOrUrl: string, options: { isKnownExample?: ExampleCatalogue } = {}): ExploreLinkDecodeResult {
  if (!isExploreLink(hashOrUrl)) return { kind: 'none' };
  const fail = (kind: ExploreLinkError['kind'], message: string, exampleId?: string): ExploreLinkDecodeResult => ({
    kind: 'error',
    error: exampleId === undefined ? { kind, message } : { kind, message, exampleId },
  });
  if (hashOrUrl.length > MAX_LINK_CHARS) return fail('oversized', `This explore link is ${hashOrUrl.length} characters long, more than the ${MAX_LINK_CHARS} this page reads. Nothing from it was loaded.`);
  const pairs = hashPart(hashOrUrl)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1 ? { key: part, value: undefined } : { key: part.slice(0, eq), value: part.slice(eq + 1) };
    });
  const version = pairs[0]!.value;
  if (version !== VERSION && version !== undefined && /^\d{1,6}$/.test(version)) {
    return fail('unknown-version', `This explore link was made by a newer version of the playground (format ${version}; this page reads format ${VERSION}). Reload the page to get the latest version; nothing from the link was loaded.`);
  }
  const known = options.isKnownExample;
  const exPair = pairs.find((p) => p.key === 'ex');
  const trusted = (complete: boolean) => {
    const id = exPair?.value;
    return complete && id !== undefined && isValidExampleId(id) && (!known || safe(known, id)) ? id : undefined;
  };
  const last = pairs[pairs.length - 1]!;
  if (last.key !== 'sum' || !/^[0-9a-f]{16}$/.test(last.value ?? '')) {
    const id = trusted(exPair !== undefined && exPair !== last);
    return fail('truncated', `This explore link was cut off before its end, so its code and fault space were not loaded.${note(id)} Ask for the complete link.`, id);
  }
  const id = trusted(true);
  const malformed = (what: string) => fail('malformed', `This explore link is not valid (${what}), so its code and fault space were not loaded.${note(id)}`, id);
  if (version !== VERSION) return malformed('its version field is not a number');
  const fields = readLinkFields(pairs, KEYS);
  if ('problem' in fields) return malformed(fields.problem);
  const { values } = fields;
  const exampleId = values.get('ex');
  if (exampleId === undefined || !isValidExampleId(exampleId)) return malformed('it names no valid example');
  const seedText = values.get('seed');
  const baseSeed = seedText === undefined ? undefined : parseBaseSeed(seedText);
  if (baseSeed === undefined) return malformed('the first seed must be a whole number or up to 32 letters, digits, "_" or "-"');
  const runsText = values.get('runs') ?? '';
  const runs = /^\d{1,6}$/.test(runsText) ? Number(runsText) : NaN;
  if (!isRunCount(runs)) return malformed(`the number of runs must be a whole number from 1 to ${MAX_LINK_EXPLORE_RUNS.toLocaleString('en-US')}`);
  const spacePart = values.get('space');
  if (spacePart === undefined) return malformed('it has no fault space');
  const space = decompressBounded(spacePart, MAX_FAULTS_JSON_CHARS);
  if (space.kind === 'bad-characters') return malformed('the fault space has characters a compressed part cannot have');
  if (space.kind === 'too-long') return fail('oversized', `The fault space in this link is larger than ${MAX_FAULTS_JSON_CHARS} characters, so nothing from the link was loaded.${note(id)}`, id);
  if (space.kind === 'broken') return fail('corrupt', `This explore link is damaged (the fault space does not decompress), so nothing from it was loaded.${note(id)}`, id);
  let code: string | undefined;
  const codePart = values.get('code');
  if (codePart !== undefined) {
    const r = decompressBounded(codePart, MAX_CODE_CHARS);
    if (r.kind === 'bad-characters') return malformed('the code has characters a compressed part cannot have');
    if (r.kind === 'too-long') return fail('oversized', `The code in this link is longer than ${MAX_CODE_CHARS} characters, so it was not loaded.${note(id)}`, id);
    if (r.kind === 'broken') return fail('corrupt', `This explore link is damaged (the code does not decompress), so nothing from it was loaded.${note(id)}`, id);
    code = r.text;
  }
  if (checksum(content(exampleId, seedText!, runs, space.text, code)) !== values.get('sum')) {
    return fail('corrupt', `This explore link is damaged (its content does not match its checksum), so nothing from it was loaded.${note(id)}`, id);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(space.text);
  } catch {
    return malformed('the fault space is not JSON');
  }
  if (!isPlainObject(parsed)) return malformed('the fault space is not a JSON object');
  if (known && !safe(known, exampleId)) {
    return fail('unknown-example', `This explore link is about an example called "${exampleId}", which this version of the playground does not have. Nothing from the link was loaded.`);
  }
  const link: ExploreLinkState = { exampleId, baseSeed, runs, space: parsed };
  if (code !== undefined) link.code = code;
  return { kind: 'ok', link };
}

/** A seed as the link writes it: text that would read back as a number is marked with `~`. */
const formatBaseSeed = (seed: Seed): string => (typeof seed === 'string' && typeof parseSeed(seed) === 'number' ? `~${seed}` : formatSeed(seed));
const parseBaseSeed = (text: string): Seed | undefined => (text.startsWith('~') ? (parseSeed(text.slice(1)) === undefined ? undefined : text.slice(1)) : parseSeed(text));

const isRunCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_LINK_EXPLORE_RUNS;

/** The text the checksum covers: every decoded field, an absent code marked as absent. */
function content(exampleId: string, seedText: string, runs: number, spaceJson: string, code: string | undefined): string {
  return [`xv=${VERSION}`, `ex=${exampleId}`, `seed=${seedText}`, `runs=${runs}`, `space+${spaceJson}`, code === undefined ? 'code-' : `code+${code}`].join('\n');
}

function objectJson(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  try {
    const json = JSON.stringify(value);
    return typeof json === 'string' && json.startsWith('{') ? json : undefined;
  } catch {
    return undefined;
  }
}

function safe(catalogue: ExampleCatalogue, id: string): boolean {
  try {
    return catalogue(id) === true;
  } catch {
    return false;
  }
}

function note(exampleId: string | undefined): string {
  return exampleId === undefined ? '' : ` The example "${exampleId}" is opened with its original code instead.`;
}
