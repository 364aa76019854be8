// Inlined into index.html's <head> at build time (its hash is in the page's CSP); runs before the first
// paint. The HTML carries a snapshot of the first example (render-first-paint.ts). It stays on screen
// only if that is what the app will open: not for an address with a hash (a share link, a route), nor
// for a learner who left another example open or has a draft of this one; then only the page's frame
// shows until the app has rendered. The saved theme and layout apply at once, as the app applies them
// (settings.ts: views width 25–70 %). It also asks for the editor's files after the first paint.
(() => {
  const root = document.documentElement;
  const first = document.querySelector('meta[name="spp-first-example"]')?.getAttribute('content') ?? '';
  let prefs = {};
  let draft = null;
  try {
    prefs = JSON.parse(localStorage.getItem('spp.prefs') ?? '{}') ?? {};
    draft = localStorage.getItem(`spp.draft.${first}`);
  } catch {
    // No storage (or a damaged record): the app reports it; the snapshot is what it opens.
  }
  if (prefs.theme === 'light' || prefs.theme === 'dark') root.setAttribute('data-theme', prefs.theme);
  if (typeof prefs.viewsWidth === 'number') root.style.setProperty('--spp-views-width', `${Math.min(70, Math.max(25, prefs.viewsWidth))}%`);
  if (prefs.lessonOpen === false) root.setAttribute('data-first-paint-lesson', 'closed');
  const same = location.hash.length < 2 && (prefs.lastExample == null || prefs.lastExample === first) && draft === null;
  root.setAttribute('data-first-paint', same ? 'example' : 'frame');
  // Once the first frame with the page in it is drawn, the editor's files (listed at build time) are asked for,
  // so that they download and compile while the app starts; the app's import of them then finds them. Asked
  // for with the HTML, they slowed that first paint. (Not on the first-contentful-paint entry: it arrives
  // when the frame is presented, often 100–150 ms later on a busy machine, and the editor waited for it.)
  const editorFiles = document.querySelector('meta[name="spp-editor-files"]')?.getAttribute('content');
  if (editorFiles) {
    const ask = () => {
      for (const href of editorFiles.split(' ')) {
        const link = document.createElement('link');
        if (href.endsWith('.css')) [link.rel, link.as] = ['preload', 'style'];
        else link.rel = 'modulepreload';
        link.crossOrigin = '';
        // Below the app's own chunk, should that still be downloading on a slow network.
        link.fetchPriority = 'low';
        link.href = href;
        document.head.append(link);
      }
    };
    // A task queued from an animation frame runs after that frame's paint; a frame drawn before the
    // whole page was parsed does not count.
    const afterFrame = () =>
      requestAnimationFrame(() => {
        if (document.readyState === 'loading') afterFrame();
        else setTimeout(ask, 0);
      });
    afterFrame();
  }
})();
