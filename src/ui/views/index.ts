/**
 * The trace views of the playground page. Importing this module registers
 * the custom elements; the pure models behind them are exported too.
 *
 * Elements (each a {@link TraceView}: it takes `events` and `time`):
 * `<spp-sequence-diagram>`, `<spp-service-map>`, `<spp-breaker-timeline>`, `<spp-saga-board>`,
 * `<spp-log-console>`, `<spp-metrics>`, `<spp-load-chart>`, `<spp-checks-panel>`, `<spp-time-scrubber>`.
 *
 * @example
 * import './ui/views/index.js';
 * html`<spp-time-scrubber .events=${trace} .time=${t} @time-change=${(e) => (t = e.detail.time)}></spp-time-scrubber>
 *      <spp-sequence-diagram .events=${trace} .time=${t}></spp-sequence-diagram>`;
 */
export * from './trace-access.js';
export * from './describe-event.js';
export * from './event-view.js';
export * from './parties.js';
export * from './breaker-states.js';
export * from './event-families.js';
export * from './sequence-model.js';
export * from './service-map-model.js';
export * from './breaker-model.js';
export * from './saga-model.js';
export * from './queue-model.js';
export * from './pattern-hosts.js';
export * from './metrics-model.js';
export * from './load-model.js';
export * from './log-model.js';
export * from './filter-by-correlation.js';
export * from './mermaid.js';
export * from './view-events.js';
export { themeStyles, eventStyleRules } from './theme.js';
export { TraceView } from './trace-view.js';
export { ResizeController, type ResizeControllerOptions } from './resize-controller.js';
export { SppSequenceDiagram } from './sequence-diagram.js';
export { SppServiceMap } from './service-map.js';
export { SppBreakerTimeline } from './breaker-timeline.js';
export { SppSagaBoard } from './saga-board.js';
export { SppLogConsole } from './log-console.js';
export { SppMetrics } from './metrics-view.js';
export { SppLoadChart } from './load-chart.js';
export { SppChecksPanel, type CheckView } from './checks-panel.js';
export { SppTimeScrubber } from './time-scrubber.js';
