// The parts the playground page (`../app.ts`) is composed of: controllers that
// hold one concern each (runs, drafts, banners, shortcuts), plain classes over
// the share layer (settings, progress, sharing, example loading), the decision
// of what to open first, and the templates of the page's columns.
export * from './banner-list.js';
export * from './column-splitter.js';
export * from './draft-keeper.js';
export * from './example-chooser.js';
export * from './example-library.js';
export * from './keyboard-shortcuts.js';
export * from './lesson-column.js';
export * from './page-panes.js';
export * from './pane-layout.js';
export * from './progress-files.js';
export * from './project-download.js';
export * from './run-control.js';
export * from './run-display.js';
export * from './settings.js';
export * from './share-actions.js';
export * from './start-plan.js';
export * from './study-progress.js';
export * from './trace-opener.js';
export * from './view-panel.js';
export * from './view-tabs.js';
