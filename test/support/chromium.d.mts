/** Launch flags Chromium needs as root on these machines (no sandbox, no background networking). */
export declare const CHROMIUM_ARGS: string[];
/** Path of the Chromium to drive: $CHROMIUM_PATH, $CHROME_PATH, then /usr/bin/chromium; throws with the install command. */
export declare function findChromium(): string;
