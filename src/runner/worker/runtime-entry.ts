/**
 * The module the sandbox loads: the `playground` API that user code imports
 * (its `'playground'` specifier is rewritten to this module's Blob URL), plus
 * the entry point the sandbox's Worker calls. Bundled into one self-contained
 * ES module by `build/runtime-bundle.mjs`.
 */
export * from '../../playground/index.js';
export { runInWorker } from './worker-main.js';
