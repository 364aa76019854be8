/** How an append to the event store can find its stream other than expected. */

/**
 * What the stream must look like for an append to go ahead:
 * `'any'` (no check), `'no-stream'` (it has no events yet),
 * `'stream-exists'` (it has some), or a number: the stream's current version,
 * i.e. how many events it holds (0 is the same as `'no-stream'`).
 */
export type ExpectedVersion = 'any' | 'no-stream' | 'stream-exists' | number;

/**
 * An append found the stream at another version than expected: someone else
 * appended first. Reload the stream, decide again, and retry.
 */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      `Append to stream "${streamId}" expected ${describeExpected(expected)}, but the stream is at version ${actual}` +
        (actual === 0 ? ' (it does not exist)' : '') +
        ': another writer got there first. Read the stream again, re-apply your decision and retry.',
    );
    this.name = 'WrongExpectedVersionError';
  }
}

/**
 * An append mixed events the stream already holds with new ones. An append
 * is idempotent only as a whole: a retry repeats the very events of the
 * append it retries, so either all of them are stored already (then it is a
 * no-op) or none are. A mix means the writer's view of the stream is out of
 * date, so, as in EventStoreDB, it is refused like a wrong expected version.
 */
export class PartialDuplicateAppendError extends WrongExpectedVersionError {
  constructor(
    streamId: string,
    expected: ExpectedVersion,
    actual: number,
    /** Ids of the append that the stream already held. */
    readonly storedIds: readonly string[],
    /** How many events of the append were new. */
    readonly newEvents: number,
  ) {
    super(streamId, expected, actual);
    this.message =
      `Append to stream "${streamId}" repeats ${storedIds.length} event(s) the stream already holds (${storedIds.join(', ')}) ` +
      `together with ${newEvents} new one(s). Appends are idempotent only as a whole: retry with exactly the events of the first try, ` +
      'or read the stream again and append only the new events.';
    this.name = 'PartialDuplicateAppendError';
  }
}

function describeExpected(e: ExpectedVersion): string {
  if (e === 'no-stream') return 'no stream (version 0)';
  if (e === 'stream-exists') return 'an existing stream';
  if (e === 'any') return 'any version';
  return `version ${e}`;
}
