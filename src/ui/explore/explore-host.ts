import type { Example } from '../../../examples/types.js';
import type { FaultPlan } from '../../sim/faults.js';
import type { AppRunner } from '../app-deps.js';

/** A run's seed (a safe integer, or up to 32 of `A-Z a-z 0-9 _ -`). */
export type Seed = string | number;

/** A case of an explore to open as a normal run. */
export interface ReplayCase {
  seed: Seed;
  faults: FaultPlan;
  /** What it is a case of, in words: shown while the case is open. */
  label: string;
}

/** What the Explore panel needs from the page. */
export interface ExploreHost {
  runner: AppRunner;
  /** The page's address: links are made on it. */
  baseUrl: string;
  copyText(text: string): Promise<void>;
  /** Opens a case as a normal run with every view. */
  replay(c: ReplayCase): void;
}

/** An explore's settings as a link carries them (the space still to be checked). */
export interface ExploreSettings {
  baseSeed: Seed;
  runs: number;
  space: unknown;
}

/** "Explore now" from the page (a shortcut, a link), with the settings to use, if any. Each new `id` starts once. */
export interface ExploreCommand {
  id: number;
  settings?: ExploreSettings;
}

/** Everything the Explore tab is drawn from. */
export interface ExploreTabInputs {
  host: ExploreHost;
  example: Example;
  code: string;
  /** The page's fault plan: the fault space starts from it. */
  faults: FaultPlan;
  /** Services and queues of the last run, offered in the fault space. */
  services: string[];
  queues: string[];
  /** The last run shows a saga: the saga invariants judge the runs too. */
  sagas: boolean;
  command: ExploreCommand | undefined;
}
