import type { RunReport } from '../../runner/protocol.js';
import type { CodeMarker } from '../editor/code-editor.js';
import type { RunSummary } from '../run-toolbar.js';

/** How a run ended, in the toolbar's words: "Finished", or the status and the first line of the error. */
export function runSummary(report: RunReport): RunSummary {
  return {
    status: report.status,
    message: report.status === 'ok' ? 'Finished' : report.error ? `${report.status}: ${report.error.message.split('\n')[0]}` : report.status,
    wallMs: report.wallMs,
    events: report.events.length,
    virtualTime: report.virtualTime,
  };
}

/** The editor's marks for a run: its error, where the error has a line. */
export function runMarkers(report: RunReport | undefined): CodeMarker[] {
  const e = report?.error;
  return e?.line ? [{ line: e.line, ...(e.column ? { column: e.column } : {}), message: e.message, severity: 'error' }] : [];
}
