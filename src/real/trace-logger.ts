import { jsonSafe, type Logger, type LogLevel, type TraceRecorder } from '../sim/index.js';

/**
 * A logger whose lines are `log` trace events from `source`, as the
 * simulation's loggers write them.
 *
 * @example
 * traceLogger(trace, 'order-service').info('order placed', { orderId: 'o-1' });
 */
export function traceLogger(trace: TraceRecorder, source: string): Logger {
  const line = (level: LogLevel) => (message: string, data?: unknown) => {
    const text = String(message);
    trace.record('log', data === undefined ? { source, level, message: text } : { source, level, message: text, data: jsonSafe(data) });
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
