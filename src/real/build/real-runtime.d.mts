// Types of real-runtime.mjs (build side: Node only, never bundled into the page).
import type { Plugin } from 'vite';

/** Where the page finds the runtime file (relative to the site's base). */
export declare const REAL_RUNTIME_FILE: 'spp-runtime.mjs';
/** The packages the runtime file imports (the downloaded project's dependencies). */
export declare const REAL_RUNTIME_PACKAGES: readonly string[];
/** The id page code imports to learn the runtime file's name and dependencies. */
export declare const REAL_RUNTIME_MODULE_ID: 'virtual:spp-real-runtime';
/** The runtime's dependencies with this repository's exact versions. */
export declare function realRuntimeDependencies(): Record<string, string>;
/** Bundles the real-mode runtime into one ES module for Node. */
export declare function bundleRealRuntime(): Promise<{ code: string; moduleIds: string[] }>;
/** Vite plugin: emits the runtime file into the build; the dev server builds it on request. */
export declare function realRuntimePlugin(): Plugin;
