/** The invariants the checkers know, by id. */
export type InvariantId =
  /** A completed order was charged exactly its amount (net of refunds) and holds exactly its items. */
  | 'completed-order-paid-and-reserved'
  /** At quiescence a cancelled order is fully refunded (never more) and holds nothing. */
  | 'cancelled-order-refunded-and-released'
  /** At quiescence every placed order is completed or cancelled. */
  | 'order-finished'
  /** No order is charged more than once. */
  | 'charged-once'
  /** Stock never goes negative, nothing is released that was not reserved, and the final stock matches the effects. */
  | 'stock-conserved'
  /** Each consumer applies each message's effect at most once, however often the message is delivered. */
  | 'effect-once-per-message'
  /** Every published message is acked, dead-lettered, explicitly dropped or still queued. */
  | 'no-message-lost'
  /** At quiescence every saga that started has ended. */
  | 'saga-finished'
  /** A compensation runs only for a step that completed or whose outcome is unknown. */
  | 'saga-compensates-started-steps-only'
  /** No step is compensated twice. */
  | 'saga-compensates-once'
  /** Compensations run in the reverse order of the steps. */
  | 'saga-compensation-reverse-order'
  /** No forward step starts once compensation began. */
  | 'saga-no-step-after-compensation'
  /** A completed step is not run again (after a resume, say). */
  | 'saga-completed-step-not-redone';

/**
 * One broken invariant: which, about what, and the trace events (`seq`)
 * that show it, so a view can highlight them.
 */
export interface InvariantViolation {
  invariant: InvariantId;
  /** What is wrong, in a sentence. */
  message: string;
  orderId?: string;
  messageId?: string;
  sagaId?: string;
  queue?: string;
  sku?: string;
  /** `seq` of the events that show the problem, in trace order. */
  eventSeqs: number[];
}

/** What a checker found. */
export interface InvariantReport {
  /** True when no invariant is broken. */
  ok: boolean;
  violations: InvariantViolation[];
  /** The invariants that were checked (those that need quiescence are skipped without it). */
  checked: InvariantId[];
}

/** A queue's figures as `broker.snapshot().queues` gives them (only what the checker reads). */
export interface QueueFigures {
  name: string;
  published: number;
  acked: number;
  deadLettered: number;
  dropped: number;
  ready: number;
  unacked: number;
}

/** Options of the checkers. */
export interface InvariantOptions {
  /**
   * The run is over: nothing more will happen (default true). Invariants
   * about final states (`order-finished`, `cancelled-order-refunded-and-released`,
   * `saga-finished`, the final stock) are only checked then.
   */
  quiescent?: boolean;
  /** Stock the inventory holds at the end, compared with what its effects add up to. */
  finalStock?: Readonly<Record<string, number>>;
  /** Queue figures at the end (`broker.snapshot().queues`), compared with the trace. */
  queues?: readonly QueueFigures[];
  /** Check only these invariants; default all. */
  only?: readonly InvariantId[];
}

/** Formats a report in a few lines (for test failures and logs). */
export function formatInvariantReport(report: InvariantReport, max = 10): string {
  if (report.ok) return `all ${report.checked.length} invariants hold`;
  const lines = report.violations.slice(0, max).map((v) => `- [${v.invariant}] ${v.message} (events ${v.eventSeqs.slice(0, 8).join(', ')}${v.eventSeqs.length > 8 ? ', …' : ''})`);
  if (report.violations.length > max) lines.push(`- … and ${report.violations.length - max} more`);
  return `${report.violations.length} violation(s):\n${lines.join('\n')}`;
}
