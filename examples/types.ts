/**
 * The shape of an example: its editable code, lesson, default run settings and
 * exercises whose checks are predicates over a run's trace and result.
 */
import type { FaultPlan, TraceEvent } from 'playground';

/** What a check sees of a run. */
export interface RunOutcome {
  status: 'ok' | 'error' | 'timeout' | 'budget' | 'stopped';
  events: readonly TraceEvent[];
  /** The resolved value of the code's `main()`. */
  result?: unknown;
  error?: { kind: string; message: string; line?: number };
}

/** The verdict of one check. */
export interface CheckResult {
  passed: boolean;
  /** What was expected and what happened; shown when the check fails. */
  message: string;
  /** Trace events (by `seq`) that show the problem. */
  eventSeqs?: number[];
}

/** A predicate over a run. */
export interface Check {
  id: string;
  title: string;
  check(run: RunOutcome): CheckResult;
}

/** A range of numbers a fault takes in a sampled plan, present with probability `chance` (0..1). */
export interface ExploreValueRange {
  chance: number;
  min: number;
  max: number;
}

/** Windows of virtual time (ms): `count` of them, each starting in `start` and lasting `length`. */
export interface ExploreWindowRange {
  chance: number;
  count: { min: number; max: number };
  start: { min: number; max: number };
  length: { min: number; max: number };
}

/**
 * The fault plans an explore samples from, as plain data: the shape of the
 * explore's fault space (the page and the tests hand it to `explore`, so the
 * type checker keeps the two in step). Only what the course's exercises use.
 */
export interface ExploreSpace {
  services?: Record<string, { errorRate?: ExploreValueRange; errorStatus?: number; latency?: ExploreValueRange; down?: ExploreWindowRange }>;
  routes?: { service: string; path: string; method?: string; errorRate?: ExploreValueRange; errorStatus?: number; latency?: ExploreValueRange }[];
  queues?: Record<string, { duplicateRate?: ExploreValueRange; crashBeforeAckRate?: ExploreValueRange; dropRate?: ExploreValueRange; delay?: ExploreValueRange }>;
}

/**
 * An exercise judged over many schedules instead of one run: its flaw shows
 * only in some of them. Each of the exercise's checks judges every run of an
 * explore over `runs` seeds (from the example's seed), each with a fault plan
 * drawn from `space`; a check passes when it failed in no more runs than its
 * tolerance.
 */
export interface ExploreExercise {
  /** Schedules to check (the page and the tests use 200). */
  runs: number;
  /** Schedules of a final grade, offered beside the quick check of `runs` (the capstone: 1,000). */
  finalRuns?: number;
  /** Where the fault plans come from. */
  space: ExploreSpace;
  /** Runs a check may fail in and still pass, by check id (default 0). */
  tolerance?: Record<string, number>;
}

/** A task for the learner, checked on their run. */
export interface Exercise {
  id: string;
  title: string;
  /** What to do (markdown). */
  task: string;
  hint: string;
  /** A complete program that passes every check; shown only on request. */
  solution: string;
  checks: Check[];
  /**
   * The code the exercise starts from, when it is not the example's code
   * (for instance the solution of an earlier exercise, whose remaining flaw
   * this one is about).
   */
  starter?: string;
  /** Judge the checks over many schedules (see {@link ExploreExercise}) instead of on the learner's run. */
  explore?: ExploreExercise;
}

/** One example of the module. */
export interface Example {
  /** Stable id used in links and storage (lowercase, digits, dashes). */
  id: string;
  title: string;
  /** Group in the picker. */
  topic: string;
  /** Position in the course. */
  order: number;
  summary: string;
  objectives: string[];
  /** The lesson (markdown). */
  lesson: string;
  /** The editable code the learner starts from. */
  code: string;
  seed: string | number;
  faults?: FaultPlan;
  /** What running the example's own code shows (checked by the tests). */
  expected: Check[];
  exercises: Exercise[];
}

/** What is known of an example before its content is loaded (the picker's entry). */
export type ExampleMeta = Pick<Example, 'id' | 'title' | 'topic' | 'order'>;
