// Types of runtime-bundle.mjs (build side: Node only, never bundled into the page).
import type { Plugin } from 'vite';

/** The sandbox runtime's entry module (absolute path). */
export declare const RUNTIME_ENTRY: string;
/** The id page code imports to get the runtime's source text. */
export declare const RUNTIME_MODULE_ID: 'virtual:playground-runtime';
/** Bundles the runtime into one self-contained ES module. */
export declare function bundleRuntime(): Promise<{ code: string; moduleIds: string[] }>;
/** Vite plugin serving `virtual:playground-runtime` (default export: the runtime's source text). */
export declare function playgroundRuntimePlugin(): Plugin;
