import type { Example } from '../../../examples/types.js';
import type { ExploreLinkState } from '../../share/explore-link.js';
import { decideIncomingCode, decodeCompareLink, decodeShareLink, isExploreLink, type CompareLink, type Draft, type ShareLink } from '../../share/index.js';
import { validateFaultPlan, type FaultPlan } from '../../sim/faults.js';
import type { ExampleLibrary } from './example-library.js';

/** How the page starts from a share link: the run it reproduces, and a draft to ask about. */
export interface LinkStart {
  seed: string | number;
  faults: FaultPlan;
  code: string;
  /** Whose code is on screen: the link's own, the example's original, or the learner's draft (a link that carries no code). */
  shown: 'link' | 'original' | 'draft';
  /** The learner's saved draft, which differs from the code shown: they choose which to keep. */
  conflictingDraft?: Draft;
}

/** An explore an explore link asks for: its seeds and its fault space (checked by the Explore panel, which loads later). */
export interface LinkExplore {
  baseSeed: string | number;
  runs: number;
  space: Record<string, unknown>;
}

/** What the page opens first: a share link's run (or an explore link's program and explore, or a compare link's first variant), or an example as the learner left it. */
export type StartPlan = { kind: 'link'; example: Example; start: LinkStart; compare?: CompareLink; explore?: LinkExplore } | { kind: 'example'; example: Example };

/** What {@link planStart} reads, and where it reports problems (in the order they are found). */
export interface StartInputs {
  /** The page's address (a share link lives in its hash). */
  url: string;
  library: ExampleLibrary;
  /** The example open at the end of the last visit. */
  lastExample: string | null;
  /** The learner's draft of an example a link names (read after the link's fault plan is checked). */
  loadDraft: (exampleId: string) => Draft | undefined;
  /** A message for a banner: a problem (`error`), or what the page did instead of what was asked (`info`). */
  report: (message: string, tone: 'error' | 'info') => void;
}

/**
 * Decides what the page opens: the run a valid share link describes;
 * otherwise (a damaged link is reported, and nothing of it is used) the
 * example the link names, as the learner left it (their draft, if any; the
 * report says which), else the one open last time, else the first.
 *
 * @example
 * const plan = await planStart({ url: location.href, library, lastExample, loadDraft, report: (m, tone) => banners.add(tone, m) });
 */
export async function planStart(inputs: StartInputs): Promise<StartPlan> {
  const { library } = inputs;
  const isKnownExample = (id: string) => library.has(id);
  // The explore link's codec loads only for such a link (it is not needed on most first loads).
  const explore = isExploreLink(inputs.url) ? (await import('../../share/explore-link.js')).decodeExploreLink(inputs.url, { isKnownExample }) : { kind: 'none' as const };
  if (explore.kind === 'ok') return startExplore(explore.link, inputs);
  let decoded: ReturnType<typeof decodeShareLink>;
  if (explore.kind === 'error') decoded = { ok: false as const, error: explore.error };
  else {
    // A compare link opens its first variant as a share link would, and the Compare tab runs the rest.
    const compare = decodeCompareLink(inputs.url, { isKnownExample });
    if (compare.ok) {
      const example = await library.load(compare.link.exampleId);
      const { against: _, runs: __, ...run } = compare.link;
      return { kind: 'link', example, start: startFromLink(run, example, { loadDraft: () => inputs.loadDraft(example.id), report: inputs.report }), compare: compare.link };
    }
    decoded = compare.error.kind === 'empty' ? decodeShareLink(inputs.url, { isKnownExample }) : compare;
  }
  if (decoded.ok) {
    const example = await library.load(decoded.link.exampleId);
    return { kind: 'link', example, start: startFromLink(decoded.link, example, { loadDraft: () => inputs.loadDraft(example.id), report: inputs.report }) };
  }
  const named = decoded.error.exampleId;
  const meta = library.entries.find((e) => e.id === (named ?? inputs.lastExample)) ?? library.entries[0]!;
  const example = await library.load(meta.id);
  if (decoded.error.kind !== 'empty') {
    // The example opens as the learner left it: with their draft, if they have one, and the report must say so.
    const draft = named === example.id ? inputs.loadDraft(example.id) : undefined;
    const withDraft = draft !== undefined && draft.code !== example.code;
    inputs.report(withDraft ? saysDraftIsShown(decoded.error.message, example.title) : decoded.error.message, 'error');
  }
  return { kind: 'example', example };
}

/**
 * An explore link opens its example with the link's code (a draft is kept
 * until the learner chooses, as with a run link), the example's seed and
 * fault plan for the single run, and the explore to start.
 */
async function startExplore(link: ExploreLinkState, inputs: StartInputs): Promise<StartPlan> {
  const example = await inputs.library.load(link.exampleId);
  const asRun: ShareLink = { version: 1, exampleId: link.exampleId, seed: example.seed, ...(link.code !== undefined ? { code: link.code } : {}) };
  if (example.faults) asRun.faults = example.faults as unknown as Record<string, unknown>;
  const start = startFromLink(asRun, example, { loadDraft: () => inputs.loadDraft(example.id), report: inputs.report });
  return { kind: 'link', example, start, explore: { baseSeed: link.baseSeed, runs: link.runs, space: { ...link.space } } };
}

/** The share layer's note on a damaged link says the original code is opened; with a draft on screen, say that instead. */
const ORIGINAL_CODE_NOTE = / The example "[^"]*" is opened with its original code instead\./;

function saysDraftIsShown(message: string, title: string): string {
  const note = ` Your saved draft of "${title}" is opened instead.`;
  return ORIGINAL_CODE_NOTE.test(message) ? message.replace(ORIGINAL_CODE_NOTE, note) : `${message}${note}`;
}

/**
 * Decides what a decoded share link opens in `example`: its seed, its fault
 * plan (the example's own when the link's is not valid, which is reported),
 * and its code. A link that carries code shows it, and a different draft of
 * that example is kept until the learner chooses. A link that carries no
 * code (it was shared from the original code) shows the learner's draft if
 * there is one, and says so.
 */
export function startFromLink(link: ShareLink, example: Example, io: { loadDraft: () => Draft | undefined; report: StartInputs['report'] }): LinkStart {
  const issues = link.faults ? validateFaultPlan(link.faults) : [];
  let faults: FaultPlan;
  if (issues.length) {
    faults = copyPlan(example.faults);
    io.report(`The link's fault plan is not valid (${issues[0]!.path}: ${issues[0]!.message}); the example's own fault plan is used instead.`, 'error');
  } else faults = (link.faults as FaultPlan | undefined) ?? {};
  const draft = io.loadDraft();
  if (link.code === undefined) {
    if (draft && draft.code !== example.code) {
      io.report(`This link carries no code of its own (it was shared from the example's original code), so your saved draft of "${example.title}" is shown, with the link's seed and fault plan.`, 'info');
      return { seed: link.seed, faults, code: draft.code, shown: 'draft' };
    }
    return { seed: link.seed, faults, code: example.code, shown: 'original' };
  }
  const decision = decideIncomingCode(link.code, draft, example.code);
  const shown = link.code === example.code ? 'original' : 'link';
  if (decision.kind === 'no-conflict') return { seed: link.seed, faults, code: decision.code, shown };
  return { seed: link.seed, faults, code: decision.incoming, shown, conflictingDraft: decision.draft };
}

/** A copy of an example's fault plan (the page edits its plan in place), or none. */
function copyPlan(plan: FaultPlan | undefined): FaultPlan {
  return plan ? (JSON.parse(JSON.stringify(plan)) as FaultPlan) : {};
}
