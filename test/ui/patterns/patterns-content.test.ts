import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllExamples, type Example } from '../../../examples/index.js';
import { PATTERN_ENTRIES } from '../../../src/ui/patterns/content/index.js';
import { parseRoute } from '../../../src/ui/patterns/page-route.js';
import { PATTERN_INDEX, patternsOfExample } from '../../../src/ui/patterns/pattern-index.js';
import { ENTRY_SECTIONS, PATTERN_IDS, type LibraryId, type PatternEntry } from '../../../src/ui/patterns/pattern-types.js';

/** Where each library's own documentation lives: a link anywhere else is not the library's word. */
const OFFICIAL: Record<LibraryId, readonly string[]> = {
  resilience4j: ['resilience4j.readme.io/', 'github.com/resilience4j/'],
  polly: ['www.pollydocs.org/', 'pollydocs.org/', 'github.com/App-vNext/Polly'],
  cockatiel: ['github.com/connor4312/cockatiel'],
  opossum: ['nodeshift.dev/opossum/', 'github.com/nodeshift/opossum'],
  amqplib: ['amqp-node.github.io/amqplib/', 'github.com/amqp-node/amqplib'],
  rabbitmq: ['www.rabbitmq.com/'],
  eventstoredb: ['docs.kurrent.io/', 'developers.eventstore.com/', 'github.com/EventStore/', 'github.com/kurrent-io/'],
  jose: ['github.com/panva/jose'],
};

/** Each section of an entry, and what "present" means for it. */
const SECTION_PRESENT: Record<(typeof ENTRY_SECTIONS)[number][0], (e: PatternEntry) => boolean> = {
  problem: (e) => e.problem.trim().length > 80,
  how: (e) => e.how.trim().length > 80,
  use: (e) => e.useWhen.length > 0 && e.avoidWhen.length > 0 && [...e.useWhen, ...e.avoidWhen].every((t) => t.trim() !== ''),
  parameters: (e) => e.parameters.length > 0 && e.parameters.every((p) => p.name.trim() && p.start.trim() && p.tradeOff.trim()),
  mistakes: (e) => e.mistakes.length > 0 && e.mistakes.every((m) => m.text.trim().length > 20),
  libraries: (e) => e.libraries.length > 0 && e.libraries.every((l) => l.spelling.trim().length > 10),
  playground: (e) => e.playground.trim().length > 40,
};

let examples: Map<string, Example>;
beforeAll(async () => {
  examples = new Map((await loadAllExamples()).map((e) => [e.id, e]));
});

describe('pattern reference content', () => {
  it('has one entry for every pattern of the module, in the order of the index', () => {
    expect(PATTERN_IDS).toHaveLength(16);
    expect(PATTERN_ENTRIES.map((e) => e.id)).toEqual([...PATTERN_IDS]);
    expect(PATTERN_INDEX.map((e) => e.id)).toEqual([...PATTERN_IDS]);
    for (const entry of PATTERN_ENTRIES) expect(entry.title).toBe(PATTERN_INDEX.find((i) => i.id === entry.id)!.title);
  });

  it.each(PATTERN_ENTRIES.map((e) => [e.id, e] as const))('%s has every section', (_id, entry) => {
    for (const [section] of ENTRY_SECTIONS) expect(SECTION_PRESENT[section](entry), `${entry.id}: section "${section}"`).toBe(true);
    expect(entry.summary.trim()).not.toBe('');
  });

  it('links every mistake to an existing example and one of its exercises', () => {
    for (const entry of PATTERN_ENTRIES) {
      for (const m of entry.mistakes) {
        const example = examples.get(m.example);
        expect(example, `${entry.id}: example "${m.example}"`).toBeDefined();
        expect(
          example!.exercises.map((x) => x.id),
          `${entry.id}: exercise "${m.exercise}" of ${m.example}`,
        ).toContain(m.exercise);
      }
    }
  });

  it('links every pattern from the lessons of existing examples that use it', () => {
    for (const entry of PATTERN_INDEX) {
      expect(entry.examples.length, `${entry.id}: no lesson links to it`).toBeGreaterThan(0);
      for (const id of entry.examples) {
        expect(examples.has(id), `${entry.id}: example "${id}"`).toBe(true);
        expect(patternsOfExample(id).map((p) => p.id)).toContain(entry.id);
      }
    }
    // Every lesson also links to the reference itself (the lesson panel always shows that link).
  });

  it('links related patterns and in-text links to entries and examples that exist', () => {
    const ids = new Set<string>(PATTERN_IDS);
    for (const entry of PATTERN_ENTRIES) {
      for (const r of entry.related) {
        expect(ids.has(r), `${entry.id}: related "${r}"`).toBe(true);
        expect(r).not.toBe(entry.id);
      }
      for (const text of [entry.problem, entry.how, entry.playground]) {
        for (const [, href] of text.matchAll(/\]\(([^)]*)\)/g)) {
          const route = parseRoute(href!);
          if (route.kind === 'patterns') expect(ids.has(route.anchor ?? ''), `${entry.id}: link ${href}`).toBe(true);
          else if (route.kind === 'example') expect(examples.has(route.exampleId), `${entry.id}: link ${href}`).toBe(true);
          else throw new Error(`${entry.id}: link ${href} leads nowhere in the page`);
        }
      }
    }
  });

  it('links every library spelling to the library’s own documentation over https', () => {
    for (const entry of PATTERN_ENTRIES) {
      for (const lib of entry.libraries) {
        const url = new URL(lib.docs);
        expect(url.protocol, `${entry.id}: ${lib.docs}`).toBe('https:');
        const where = `${url.host}${url.pathname}`;
        expect(
          OFFICIAL[lib.library].some((prefix) => where.startsWith(prefix)),
          `${entry.id}: ${lib.library} documented at ${lib.docs}`,
        ).toBe(true);
      }
    }
  });

  it('spells the patterns in every library the module names', () => {
    const used = new Set(PATTERN_ENTRIES.flatMap((e) => e.libraries.map((l) => l.library)));
    for (const lib of ['resilience4j', 'polly', 'cockatiel', 'opossum', 'amqplib', 'eventstoredb'] as const) expect(used).toContain(lib);
  });

  it('keeps the defaults it quotes from the libraries’ documentation', () => {
    const spelling = (id: string, lib: LibraryId) => PATTERN_ENTRIES.find((e) => e.id === id)!.libraries.find((l) => l.library === lib)!.spelling;
    // resilience4j CircuitBreakerConfig, Polly CircuitBreakerStrategyOptions, opossum's constructor.
    expect(spelling('circuit-breaker', 'resilience4j')).toMatch(/`failureRateThreshold` 50.*`slidingWindowSize` 100.*`waitDurationInOpenState` 60 s.*`permittedNumberOfCallsInHalfOpenState` 10/);
    expect(spelling('circuit-breaker', 'polly')).toMatch(/`FailureRatio` 0\.1.*`SamplingDuration` 30 s.*`MinimumThroughput` 100.*`BreakDuration` 5 s/);
    expect(spelling('circuit-breaker', 'opossum')).toMatch(/`errorThresholdPercentage` 50.*`resetTimeout` 30 000 ms.*`timeout` 10 000 ms/);
    expect(spelling('retry-backoff-jitter', 'polly')).toMatch(/`MaxRetryAttempts` 3.*`Delay` 2 s.*`Constant`.*`UseJitter` false/);
    expect(spelling('retry-backoff-jitter', 'resilience4j')).toMatch(/`maxAttempts` 3.*`waitDuration` 500 ms/);
    expect(spelling('timeout', 'polly')).toMatch(/30 s/);
    expect(spelling('bulkhead', 'resilience4j')).toMatch(/25 and 0 ms/);
  });
});
