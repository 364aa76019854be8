// The share layer: link codec, drafts, progress and preferences storage.
// Pure functions over strings and a Storage-like object; imports nothing of
// sim, messaging, patterns, playground or runner.
export * from './limits.js';
export * from './example-id.js';
export * from './seed.js';
export * from './checksum.js';
export * from './lz-text.js';
export * from './share-link.js';
export * from './compare-link.js';
// The explore link's codec (explore-link.ts) is imported on its own: the page loads it only when needed.
export { isExploreLink } from './explore-link-hash.js';
export * from './storage-like.js';
export {
  CORRUPT_KEY_PREFIX,
  KEY_PREFIX,
  isQuotaError,
  type CorruptReason,
  type StorageProblem,
} from './storage-problem.js';
export * from './drafts.js';
export * from './incoming-code.js';
export * from './progress.js';
export * from './progress-file.js';
export * from './preferences.js';
