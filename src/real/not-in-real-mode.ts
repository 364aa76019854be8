/** A playground helper that runs only in the simulation so far was used under `spp run`. */
export class NotInRealModeError extends Error {
  constructor(readonly feature: string) {
    super(
      `${feature} is not available in real mode yet: it needs the simulation's in-memory broker or process model. ` +
        'Run this program in the page, or use amqp.connect() and plain services, which run on real infrastructure.',
    );
    this.name = 'NotInRealModeError';
  }
}

/** The error for `feature`, to throw. */
export function notInRealMode(feature: string): NotInRealModeError {
  return new NotInRealModeError(feature);
}
