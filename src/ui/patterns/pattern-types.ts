/**
 * The shape of one entry of the pattern reference. Every text field is
 * markdown (rendered with the lesson renderer: raw HTML off, only http(s)
 * and `#` links), so an entry is plain data that tests can check field by
 * field: every section present, every example link real, every library link
 * on the library's own site.
 */

/** The patterns the reference covers, one entry each (the anchor after `#/patterns/`). */
export const PATTERN_IDS = [
  'sync-call-timeout',
  'async-request-reply',
  'service-tokens',
  'work-queue',
  'publish-subscribe',
  'event-store',
  'outbox',
  'choreography-saga',
  'orchestration-saga',
  'circuit-breaker',
  'retry-backoff-jitter',
  'timeout',
  'fallback',
  'bulkhead',
  'idempotency-key',
  'deduplication',
] as const;

export type PatternId = (typeof PATTERN_IDS)[number];

/** The libraries whose spelling of a pattern the reference gives, and whose documentation it links. */
export type LibraryId = 'resilience4j' | 'polly' | 'cockatiel' | 'opossum' | 'amqplib' | 'rabbitmq' | 'eventstoredb' | 'jose' | 'aws-sdk';

/** One setting of a pattern: where to start, and what moving it trades. */
export interface PatternParameter {
  /** The setting's name in words (library spellings are in {@link LibrarySpelling}). */
  name: string;
  /** A sensible starting value, and why. */
  start: string;
  /** What raising or lowering it buys and costs. */
  tradeOff: string;
}

/** A mistake people make with the pattern, shown by an example's starting code and fixed by one of its exercises. */
export interface PatternMistake {
  text: string;
  /** The example whose starting code (or lesson) shows the mistake. */
  example: string;
  /** The exercise of that example that fixes it. */
  exercise: string;
  /**
   * The wrong answer to that exercise that makes exactly this mistake, when
   * there is one: `examples/<example>/cheats/<exercise>/<cheat>.ts`, which the
   * exercise's checks are proven to reject. Naming it ties the text to a
   * program that fails, so a mistake the checks would let through cannot be
   * described here.
   */
  cheat?: string;
}

/** How a library spells the pattern. */
export interface LibrarySpelling {
  library: LibraryId;
  /** The names and defaults, in markdown (code spans for identifiers). */
  spelling: string;
  /** The library's own documentation of it (https, on the library's site). */
  docs: string;
}

/** One pattern of the reference. */
export interface PatternEntry {
  id: PatternId;
  title: string;
  /** Other names people search for. */
  aliases: readonly string[];
  /** One line under the title. */
  summary: string;
  /** The problem it solves and the failure it prevents. */
  problem: string;
  /** How it works, in a few lines. */
  how: string;
  useWhen: readonly string[];
  avoidWhen: readonly string[];
  parameters: readonly PatternParameter[];
  mistakes: readonly PatternMistake[];
  libraries: readonly LibrarySpelling[];
  /** How this playground spells it, and where its defaults differ from the libraries'. */
  playground: string;
  /** Examples where it is used (the lesson panels link back here). */
  examples: readonly string[];
  related: readonly PatternId[];
}

/** The names of an entry's sections, in the order the reference shows them (also what the tests check). */
export const ENTRY_SECTIONS = [
  ['problem', 'The problem it solves'],
  ['how', 'How it works'],
  ['use', 'When to use it, and when not'],
  ['parameters', 'Parameters'],
  ['mistakes', 'Common mistakes'],
  ['libraries', 'In the libraries'],
  ['playground', 'In this playground'],
] as const;
