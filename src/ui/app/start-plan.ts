import type { Example } from '../../../examples/types.js';
import { decideIncomingCode, decodeShareLink, type Draft, type ShareLink } from '../../share/index.js';
import { validateFaultPlan, type FaultPlan } from '../../sim/faults.js';
import type { ExampleLibrary } from './example-library.js';

/** How the page starts from a share link: the run it reproduces, and a draft to ask about. */
export interface LinkStart {
  seed: string | number;
  faults: FaultPlan;
  code: string;
  /** The learner's saved draft, which differs from the link's code: they choose which to keep. */
  conflictingDraft?: Draft;
}

/** What the page opens first: a share link's run, or an example as the learner left it. */
export type StartPlan = { kind: 'link'; example: Example; start: LinkStart } | { kind: 'example'; example: Example };

/** What {@link planStart} reads, and where it reports problems (in the order they are found). */
export interface StartInputs {
  /** The page's address (a share link lives in its hash). */
  url: string;
  library: ExampleLibrary;
  /** The example open at the end of the last visit. */
  lastExample: string | null;
  /** The learner's draft of an example (read only for a link, after its fault plan is checked). */
  loadDraft: (exampleId: string) => Draft | undefined;
  /** A problem for an error banner. */
  report: (message: string) => void;
}

/**
 * Decides what the page opens: the run a valid share link describes;
 * otherwise (a damaged link is reported, and nothing of it is used) the
 * example the link names, else the one open last time, else the first.
 *
 * @example
 * const plan = await planStart({ url: location.href, library, lastExample, loadDraft, report: (m) => banners.add('error', m) });
 */
export async function planStart(inputs: StartInputs): Promise<StartPlan> {
  const { library } = inputs;
  const decoded = decodeShareLink(inputs.url, { isKnownExample: (id) => library.has(id) });
  if (decoded.ok) {
    const example = await library.load(decoded.link.exampleId);
    return { kind: 'link', example, start: startFromLink(decoded.link, example, { loadDraft: () => inputs.loadDraft(example.id), report: inputs.report }) };
  }
  if (decoded.error.kind !== 'empty') inputs.report(decoded.error.message);
  const wanted = decoded.error.exampleId ?? inputs.lastExample;
  const meta = library.entries.find((e) => e.id === wanted) ?? library.entries[0]!;
  return { kind: 'example', example: await library.load(meta.id) };
}

/**
 * Decides what a decoded share link opens in `example`: its seed, its fault
 * plan (the example's own when the link's is not valid, which is reported),
 * and its code, unless the learner has a different draft of that example, in
 * which case the link's code is shown and the draft kept until they choose.
 */
export function startFromLink(link: ShareLink, example: Example, io: { loadDraft: () => Draft | undefined; report: (message: string) => void }): LinkStart {
  const issues = link.faults ? validateFaultPlan(link.faults) : [];
  let faults: FaultPlan;
  if (issues.length) {
    faults = example.faults ?? {};
    io.report(`The link's fault plan is not valid (${issues[0]!.path}: ${issues[0]!.message}); the example's own fault plan is used instead.`);
  } else faults = (link.faults as FaultPlan | undefined) ?? {};
  const decision = decideIncomingCode(link.code, io.loadDraft(), example.code);
  if (decision.kind === 'no-conflict') return { seed: link.seed, faults, code: decision.code };
  return { seed: link.seed, faults, code: decision.incoming, conflictingDraft: decision.draft };
}
