// A sandbox boot for tests: the real boot script, in a frame that never hears
// 'stop' (so it never acknowledges one), as if its process had died while the
// run's Worker was busy.
window.addEventListener(
  'message',
  (e) => {
    if (e.data && e.data.type === 'stop') e.stopImmediatePropagation();
  },
  true,
);
const boot = document.createElement('script');
boot.src = new URL('/public/sandbox/boot.js', document.currentScript.src).href;
document.head.append(boot);
