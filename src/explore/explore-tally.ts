import type { ExecutedRun } from '../runner/protocol.js';
import type { FaultPlan } from '../sim/faults.js';
import type { Seed } from './explore-request.js';
import { Histogram, type HistogramSummary } from './histogram.js';
import type { RunJudgement } from './judge-run.js';
import { runMetrics } from './run-metrics.js';

/** The end of a failure message that counts the other cases of the same run: " (and 2 more)", "; and 2 more.". */
const MORE_CASES = / \(and \d[\d,]* more\)$|; and \d[\d,]* more(?=\.?$)/;
/** A message or saga id in a failure message (a UUID): each seed makes its own. */
const RANDOM_ID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * The text under which explore counts a failure: without the ending that says how many other cases
 * one run had (" (and 2 more)", "; and 2 more."), and with "…" for the ids each seed draws anew, so
 * that the same problem in runs with more or fewer cases, or with other message ids, is one group.
 *
 * @example
 * groupedMessage('message 9875dc76-5f3a-4abc-9507-18c80a2d4f88 was lost (and 2 more)'); // 'message … was lost'
 */
export function groupedMessage(message: string): string {
  return message.replace(MORE_CASES, '').replace(RANDOM_ID, '…');
}

/** Failures of a check with one message. */
export interface MessageGroup {
  message: string;
  count: number;
  /** The first seed (in explore order) that failed with it. */
  firstSeed: Seed;
}

/** What one check or invariant did over the runs of an explore. */
export interface CheckTally {
  /** `check:<id>` or `invariant:<name>`. */
  key: string;
  kind: 'check' | 'invariant';
  title: string;
  passed: number;
  failed: number;
  /** Distinct failure messages, most frequent first (at most `maxMessages`). */
  messages: MessageGroup[];
  /** Failures whose message was not kept. */
  otherMessages: number;
  /** The first failing run (in explore order): what to shrink. */
  firstFailure?: FailingCase;
}

/** Runs that failed the same way (see `errorGroupOf`): an error, a timeout, a spent budget. */
export interface ErrorGroup {
  /** `error:<group>`. */
  key: string;
  kind: string;
  /** The message of the first run in the group. */
  message: string;
  count: number;
  firstSeed: Seed;
  firstFaults: FaultPlan;
}

/** A failing run: its seed and sampled plan (never its trace), and what it failed. */
export interface FailingCase {
  /** Position of the seed in the explore. */
  index: number;
  seed: Seed;
  faults: FaultPlan;
  /** Keys of the failed checks, invariants and error group. */
  failed: string[];
}

/** Distributions over the runs, as small histograms. */
export interface ExploreDistributions {
  /** Every client request of every run: how long the client waited (ms). */
  clientLatencyMs: HistogramSummary;
  /** Orders per run by how they ended; absent when no run placed orders. */
  orders?: { completed: HistogramSummary; cancelled: HistogramSummary; pending: HistogramSummary };
  /** HTTP requests per run that each service received (runs that did not call it count 0). */
  serviceCalls: Record<string, HistogramSummary>;
  /** Virtual time (ms) at which each run ended. */
  virtualTimeMs: HistogramSummary;
}

/** A check, invariant or error group with its failures so far (see `ExploreTally.failingSoFar`). */
export interface FailingSoFar {
  key: string;
  /** The check's title, the invariant's name, or the error group's first message. */
  title: string;
  failed: number;
}

/** Bounds on what an explore keeps, whatever the number of runs. */
export interface TallyLimits {
  /** Failing cases kept (the first in explore order); default 100. */
  maxFailingCases?: number;
  /** Distinct messages kept per check; default 20. */
  maxMessages?: number;
  /** Distinct error groups kept; default 20. */
  maxErrorGroups?: number;
  /** Services with a call distribution; default 20. */
  maxServices?: number;
}

/** What an explore found, so far or in the end. */
export interface ExploreFindings {
  runs: number;
  passedRuns: number;
  failedRuns: number;
  checks: CheckTally[];
  errors: ErrorGroup[];
  /** Runs whose error fell outside the kept groups. */
  otherErrors: number;
  failures: FailingCase[];
  /** Failing runs beyond `maxFailingCases`. */
  omittedFailures: number;
  distributions: ExploreDistributions;
}

interface CheckCounts {
  kind: 'check' | 'invariant';
  title: string;
  passed: number;
  failed: number;
  messages: Map<string, { count: number; index: number; seed: Seed }>;
  other: number;
  first?: FailingCase;
  seenAt: number;
}

/**
 * Gathers judged runs into counts, message groups, error groups, failing
 * cases and histograms, in memory that does not grow with the number of runs.
 * Runs may arrive in any order (several runners): whatever is kept "first" is
 * the one earliest in explore order, so the findings do not depend on which
 * runner finished first.
 */
export class ExploreTally {
  private runs = 0;
  private failing = 0;
  private readonly checks = new Map<string, CheckCounts>();
  private readonly errors = new Map<string, ErrorGroup & { index: number }>();
  private otherErrors = 0;
  private failures: FailingCase[] = [];
  private omitted = 0;
  private readonly latency = new Histogram();
  private readonly virtualTime = new Histogram();
  private readonly orders = { completed: new Histogram(), cancelled: new Histogram(), pending: new Histogram() };
  private readonly calls = new Map<string, Histogram>();
  private readonly limits: Required<TallyLimits>;

  constructor(
    private readonly checkOrder: readonly string[] = [],
    limits: TallyLimits = {},
  ) {
    this.limits = {
      maxFailingCases: limits.maxFailingCases ?? 100,
      maxMessages: limits.maxMessages ?? 20,
      maxErrorGroups: limits.maxErrorGroups ?? 20,
      maxServices: limits.maxServices ?? 20,
    };
  }

  /** Runs with a failed check, invariant or error so far. */
  get failedRuns(): number {
    return this.failing;
  }

  /**
   * The checks, invariants and error groups that failed most so far, most
   * failures first (ties in check order): what a progress line can show
   * while the explore goes on. Cheap enough to call for every progress.
   */
  failingSoFar(limit = 3): FailingSoFar[] {
    const out: FailingSoFar[] = [];
    for (const [key, c] of this.checks) if (c.failed > 0) out.push({ key, title: c.title, failed: c.failed });
    for (const g of this.errors.values()) out.push({ key: g.key, title: g.message, failed: g.count });
    const order = (key: string) => {
      const i = this.checkOrder.indexOf(key);
      return i >= 0 ? i : this.checkOrder.length;
    };
    return out.sort((a, b) => b.failed - a.failed || order(a.key) - order(b.key) || a.key.localeCompare(b.key)).slice(0, limit);
  }

  /** Adds one judged run, the `index`-th of the explore. */
  add(index: number, seed: Seed, faults: FaultPlan, run: ExecutedRun, judgement: RunJudgement): void {
    this.runs++;
    const failed: string[] = [];
    for (const v of judgement.verdicts) {
      let c = this.checks.get(v.key);
      if (!c) this.checks.set(v.key, (c = { kind: v.key.startsWith('check:') ? 'check' : 'invariant', title: v.title, passed: 0, failed: 0, messages: new Map(), other: 0, seenAt: index }));
      c.seenAt = Math.min(c.seenAt, index);
      if (v.passed) {
        c.passed++;
        continue;
      }
      c.failed++;
      failed.push(v.key);
      const message = groupedMessage(v.message ?? 'failed');
      const m = c.messages.get(message);
      if (m) {
        m.count++;
        if (index < m.index) Object.assign(m, { index, seed });
      } else if (c.messages.size < this.limits.maxMessages) c.messages.set(message, { count: 1, index, seed });
      else c.other++;
    }
    const error = judgement.error;
    if (error) {
      failed.push(error.key);
      const g = this.errors.get(error.key);
      if (g) {
        g.count++;
        if (index < g.index) Object.assign(g, { index, message: error.message, firstSeed: seed, firstFaults: faults });
      } else if (this.errors.size < this.limits.maxErrorGroups) {
        this.errors.set(error.key, { key: error.key, kind: error.kind, message: error.message, count: 1, firstSeed: seed, firstFaults: faults, index });
      } else this.otherErrors++;
    }
    if (failed.length > 0) {
      this.failing++;
      const fc: FailingCase = { index, seed, faults, failed };
      for (const key of failed) {
        const c = this.checks.get(key);
        if (c && (!c.first || index < c.first.index)) c.first = fc;
      }
      this.keepFailure(fc);
    }
    this.measure(run);
  }

  private keepFailure(fc: FailingCase): void {
    const list = this.failures;
    let at = list.length;
    while (at > 0 && list[at - 1]!.index > fc.index) at--;
    if (at >= this.limits.maxFailingCases) {
      this.omitted++;
      return;
    }
    list.splice(at, 0, fc);
    if (list.length > this.limits.maxFailingCases) {
      list.pop();
      this.omitted++;
    }
  }

  private measure(run: ExecutedRun): void {
    this.virtualTime.add(run.virtualTime);
    const m = runMetrics(run.events);
    for (const ms of m.clientLatencies) this.latency.add(ms);
    if (m.orders) for (const k of ['completed', 'cancelled', 'pending'] as const) this.orders[k].add(m.orders[k]);
    for (const service of m.serviceCalls.keys()) {
      if (this.calls.has(service) || this.calls.size >= this.limits.maxServices) continue;
      const h = new Histogram();
      h.add(0, this.runs - 1); // the runs before this one never called it
      this.calls.set(service, h);
    }
    for (const [service, h] of this.calls) h.add(m.serviceCalls.get(service) ?? 0);
  }

  /** The findings so far, as plain data. */
  findings(): ExploreFindings {
    const rank = (key: string, c: CheckCounts) => {
      const i = this.checkOrder.indexOf(key);
      return i >= 0 ? i : this.checkOrder.length + c.seenAt;
    };
    const checks = [...this.checks]
      .sort(([ka, a], [kb, b]) => rank(ka, a) - rank(kb, b) || ka.localeCompare(kb))
      .map(([key, c]): CheckTally => {
        const t: CheckTally = {
          key,
          kind: c.kind,
          title: c.title,
          passed: c.passed,
          failed: c.failed,
          messages: [...c.messages]
            .sort(([, a], [, b]) => b.count - a.count || a.index - b.index)
            .map(([message, m]) => ({ message, count: m.count, firstSeed: m.seed })),
          otherMessages: c.other,
        };
        if (c.first) t.firstFailure = c.first;
        return t;
      });
    const errors = [...this.errors.values()].sort((a, b) => b.count - a.count || a.index - b.index).map(({ index: _, ...g }) => g);
    const serviceCalls: Record<string, HistogramSummary> = {};
    for (const [service, h] of [...this.calls].sort(([a], [b]) => a.localeCompare(b))) serviceCalls[service] = h.summary();
    const distributions: ExploreDistributions = { clientLatencyMs: this.latency.summary(), serviceCalls, virtualTimeMs: this.virtualTime.summary() };
    if (this.orders.completed.count > 0) {
      distributions.orders = { completed: this.orders.completed.summary(), cancelled: this.orders.cancelled.summary(), pending: this.orders.pending.summary() };
    }
    return {
      runs: this.runs,
      passedRuns: this.runs - this.failing,
      failedRuns: this.failing,
      checks,
      errors,
      otherErrors: this.otherErrors,
      failures: this.failures.slice(),
      omittedFailures: this.omitted,
      distributions,
    };
  }
}
