/** Something only the simulation has (the in-memory broker's snapshot, restarts…) was used under `spp run`. */
export class NotInRealModeError extends Error {
  constructor(readonly feature: string) {
    super(
      `${feature} is not available in real mode: it needs the simulation's in-memory broker. ` +
        'Run this program in the page; in real mode, broker().queueStats() counts what this process did with its queues.',
    );
    this.name = 'NotInRealModeError';
  }
}

/** The error for `feature`, to throw. */
export function notInRealMode(feature: string): NotInRealModeError {
  return new NotInRealModeError(feature);
}
