import type { PageToFrame } from '../protocol.js';

/**
 * The Content-Security-Policy of the sandbox document (its Worker inherits
 * it): scripts only from the app's origin (the boot script) and from Blob URLs
 * (the runtime and the user's module), workers only from Blob URLs, no frames,
 * and no `'unsafe-inline'` or `'unsafe-eval'`.
 */
export function sandboxCsp(appOrigin: string, bootHash?: string): string {
  const boot = bootHash ? `'${bootHash}'` : `'self' ${appOrigin}`;
  return `default-src 'none'; script-src ${boot} blob:; worker-src blob:; connect-src 'none'; frame-src 'none'`;
}

/** Options of {@link createSandboxFrame}. */
export interface SandboxFrameOptions {
  /** Where the hidden iframe goes. */
  container: HTMLElement;
  /** URL of `public/sandbox/boot.js`. */
  bootUrl: string;
  /** The boot script's text and CSP hash, to inline it instead of loading `bootUrl`. */
  boot: { source: string; hash: string } | undefined;
  /** How long the frame may take to start before it counts as failed, in ms. */
  bootTimeoutMs: number;
}

/** One sandbox iframe, from its boot to its removal. */
export interface SandboxFrame {
  readonly iframe: HTMLIFrameElement;
  /** The Blob URL of the runtime inside the frame, once it is ready. */
  readonly runtimeUrl: string | undefined;
  /** Resolves once the frame has loaded the runtime; rejects if it failed to start. */
  readonly ready: Promise<void>;
  /** Why the frame failed to start, if it did. */
  readonly failure: string | undefined;
  /** The frame has the runtime at `runtimeUrl`. */
  markReady(runtimeUrl: string): void;
  /** The frame cannot start, for the reason given. */
  markFailed(message: string): void;
  /** Sends a message into the frame. */
  post(message: PageToFrame): void;
  /** Removes the frame, which ends its Worker at once, busy or not. */
  remove(): void;
}

/**
 * Adds a hidden `<iframe sandbox="allow-scripts" srcdoc>` to the container:
 * an opaque origin, with a CSP of its own, booted by the boot script. It is
 * marked failed if it does not report ready within `bootTimeoutMs`.
 *
 * @example
 * const frame = createSandboxFrame({ container: document.body, bootUrl, boot: undefined, bootTimeoutMs: 10_000 });
 * await frame.ready;
 */
export function createSandboxFrame(options: SandboxFrameOptions): SandboxFrame {
  const { bootUrl, boot: inline } = options;
  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.setAttribute('aria-hidden', 'true');
  iframe.title = 'Code sandbox';
  iframe.hidden = true;
  const csp = sandboxCsp(new URL(bootUrl).origin, inline?.hash);
  const script = inline ? `<script>${inline.source}</script>` : `<script src="${escapeAttribute(bootUrl)}"></script>`;
  iframe.srcdoc = `<!doctype html><html><head><meta charset="utf-8">` + `<meta http-equiv="Content-Security-Policy" content="${csp}">` + `${script}</head></html>`;
  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  ready.catch(() => undefined);
  const frame = {
    iframe,
    runtimeUrl: undefined as string | undefined,
    ready,
    failure: undefined as string | undefined,
    markReady(runtimeUrl: string) {
      clearTimeout(bootTimer);
      frame.runtimeUrl = runtimeUrl;
      resolveReady();
    },
    markFailed(message: string) {
      frame.failure = message;
      rejectReady(new Error(message));
    },
    post(message: PageToFrame) {
      iframe.contentWindow?.postMessage(message, '*');
    },
    remove() {
      clearTimeout(bootTimer);
      iframe.remove();
    },
  };
  const bootTimer = setTimeout(
    () =>
      frame.markFailed(
        `The code sandbox did not start within ${options.bootTimeoutMs} ms: check that ${bootUrl} is served and that the page's Content-Security-Policy allows it.`,
      ),
    options.bootTimeoutMs,
  );
  options.container.append(iframe);
  return frame;
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
