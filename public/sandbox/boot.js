// Boot script of the code sandbox: a classic script loaded by the page's
// <iframe sandbox="allow-scripts" srcdoc>, so it runs in an opaque origin with
// no access to the page's storage or DOM. It never runs user code on its own
// thread: each run gets a classic Worker made from a Blob URL here, which
// import()s the runtime and the user's module from Blob URLs made here too.
// Protocol: src/runner/protocol.ts (PageToFrame, FrameToPage, FrameToWorker, WorkerToFrame).
(function () {
  'use strict';

  // The Worker's own script. Turned into source text here (no eval: it becomes a Blob URL).
  function workerMain() {
    'use strict';
    var post = self.postMessage.bind(self);
    var controller = new AbortController();
    var runtime = null;
    var started = false;
    function load(url) {
      var p = import(url);
      p.catch(function () {}); // reported when the run awaits it
      return p;
    }
    self.addEventListener('message', function (e) {
      var m = e.data;
      if (!m || typeof m !== 'object') return;
      if (m.type === 'preload' && !runtime) {
        runtime = load(m.runtimeUrl);
      } else if (m.type === 'stop') {
        controller.abort(m.reason);
      } else if (m.type === 'run' && !started) {
        started = true;
        (runtime || load(m.runtimeUrl))
          .then(function (rt) {
            return rt.runInWorker(m.options, m.userUrl, function () { return import(m.userUrl); }, controller.signal, self);
          })
          .then(
            function (run) {
              try {
                // The trace travels as one JSON string: far cheaper for the page to receive than
                // a structured clone of many small objects.
                var packed = Object.assign({}, run, { events: undefined, eventsJson: JSON.stringify(run.events) });
                post({ type: 'report', run: packed });
              } catch (err) {
                post({ type: 'crash', message: 'The run finished but its report could not be sent: ' + String(err && err.message || err) });
              }
            },
            function (err) {
              post({ type: 'crash', message: String((err && (err.stack || err.message)) || err) });
            }
          );
      }
    });
  }

  var parentWindow = window.parent;
  var workerUrl = URL.createObjectURL(
    new Blob(['(' + workerMain.toString() + ')();\n'], { type: 'text/javascript' })
  );
  var runtimeUrl = null;
  var spare = null; // a Worker already loading the runtime, for the next run
  var current = null; // { runId, worker, userUrl }

  function send(message) {
    parentWindow.postMessage(message, '*');
  }

  function newWorker() {
    var worker = new Worker(workerUrl);
    worker.postMessage({ type: 'preload', runtimeUrl: runtimeUrl });
    return worker;
  }

  function end(run) {
    run.worker.terminate();
    URL.revokeObjectURL(run.userUrl);
    if (current === run) current = null;
    if (!spare && runtimeUrl) spare = newWorker();
  }

  function start(m) {
    if (current) end(current);
    var worker = spare || newWorker();
    spare = null;
    var run = {
      runId: m.runId,
      worker: worker,
      userUrl: URL.createObjectURL(new Blob([m.code], { type: 'text/javascript' })),
    };
    current = run;
    worker.addEventListener('message', function (e) {
      var r = e.data;
      if (current !== run || !r || typeof r !== 'object') return;
      if (r.type === 'report') {
        send({ type: 'report', runId: run.runId, run: r.run });
        end(run);
      } else if (r.type === 'crash') {
        send({ type: 'crash', runId: run.runId, message: String(r.message) });
        end(run);
      }
    });
    worker.addEventListener('error', function (e) {
      e.preventDefault();
      if (current !== run) return;
      send({ type: 'crash', runId: run.runId, message: 'The run\u2019s worker failed: ' + (e.message || 'unknown error') });
      end(run);
    });
    worker.postMessage({ type: 'run', runtimeUrl: runtimeUrl, userUrl: run.userUrl, options: m.options });
  }

  window.addEventListener('message', function (e) {
    if (e.source !== parentWindow) return;
    var m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'runtime' && typeof m.source === 'string') {
      if (spare) spare.terminate();
      if (runtimeUrl) URL.revokeObjectURL(runtimeUrl);
      runtimeUrl = URL.createObjectURL(new Blob([m.source], { type: 'text/javascript' }));
      spare = newWorker();
      send({ type: 'ready', runtimeUrl: runtimeUrl });
    } else if (m.type === 'run' && runtimeUrl) {
      start(m);
    } else if (m.type === 'stop' && current && current.runId === m.runId) {
      current.worker.postMessage({ type: 'stop', reason: m.reason });
    }
  });

  send({ type: 'boot' });
})();
