/** Errors of the saga orchestrator. */

/** The orchestrator's process is down: it cannot start a saga now. */
export class SagaOrchestratorDownError extends Error {
  constructor(readonly service: string) {
    super(`${service} is down: no saga can be started until it restarts`);
    this.name = 'SagaOrchestratorDownError';
  }
}

/** A step attempt timed out: its outcome is unknown. */
export class SagaStepTimeoutError extends Error {
  constructor(
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`step "${step}" timed out after ${timeoutMs} ms (it may or may not have taken effect)`);
    this.name = 'SagaStepTimeoutError';
  }
}
