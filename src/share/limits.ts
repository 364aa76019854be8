/**
 * Size limits of everything the share layer reads from a link or a file.
 * They bound memory and time before anything is decompressed or parsed.
 */

/** Longest link (whole URL, or the hash alone) that is encoded or decoded: 100,000 characters. */
export const MAX_LINK_CHARS = 100_000;

/** Longest code that travels in a link: 64 KB, counted in UTF-16 code units (string length). */
export const MAX_CODE_CHARS = 64 * 1024;

/** Longest fault plan in a link, as JSON text: 16 KB. */
export const MAX_FAULTS_JSON_CHARS = 16 * 1024;

/** Largest progress file that {@link importProgress} reads: 1 MB of text. */
export const MAX_PROGRESS_FILE_CHARS = 1024 * 1024;

/** Most examples in one progress file. */
export const MAX_PROGRESS_EXAMPLES = 1000;

/** Most exercise checks recorded for one example. */
export const MAX_CHECKS_PER_EXAMPLE = 200;
