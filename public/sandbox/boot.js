// Boot script of the code sandbox: a classic script loaded by the page's
// <iframe sandbox="allow-scripts" srcdoc>, so it runs in an opaque origin with
// no access to the page's storage or DOM. It never runs user code on its own
// thread: each run gets a classic Worker made from a Blob URL here, which
// import()s the runtime and the user's module from Blob URLs made here too.
// Protocol: src/runner/protocol.ts (PageToFrame, FrameToPage, FrameToWorker, WorkerToFrame).
//
// Reports travel only over a MessagePort that each Worker receives before any
// user code exists and keeps in a closure. A run's Worker reports to this frame;
// a pool's Worker (one program over many seeds) reports straight to the page,
// whose end of the port this frame hands over. A program comes as a module that
// exports its top-level code as a function (src/runner/transpiler/program-factory.ts):
// imported once, called once per run, so each run has fresh top-level state
// without a new module per run. User code shares the Worker's
// global, so the global channel (postMessage, onmessage) is unplugged and this
// frame never listens to it: nothing user code posts can pass for a report.
(function () {
  'use strict';

  // The Worker's own script. Turned into source text here (no eval: it becomes a Blob URL).
  function workerMain() {
    'use strict';
    // What the report path uses, taken before user code can replace any of it.
    var assign = Object.assign;
    var scope = self;
    var listen = scope.addEventListener.bind(scope);
    var unlisten = scope.removeEventListener.bind(scope);
    var Controller = AbortController;
    var BlobOf = Blob;
    var makeUrl = URL.createObjectURL.bind(URL);
    var revokeUrl = URL.revokeObjectURL.bind(URL);
    var send = null; // the runner's port, bound: set by the first message
    var runtime = null;
    var program = null; // a pool's program: { code, mappings, url, module }
    var current = null; // the run in progress: { runId, abort }
    var queued = []; // a pool's runs sent while one was going, started in turn
    // A fresh task for the next queued run, so that nothing the last run left pending runs inside it.
    var nextTask = (function () {
      var channel = new MessageChannel();
      var waiting = [];
      channel.port1.onmessage = function () {
        var fn = waiting.shift();
        if (fn) fn();
      };
      return function (fn) {
        waiting.push(fn);
        channel.port2.postMessage(0);
      };
    })();

    function load(url) {
      var p = import(url);
      p.catch(function () {}); // reported when the run awaits it
      return p;
    }

    // Runs a program's top-level code once, for one run: its module's default export, called as a plain function.
    function evaluate(module) {
      return module.then(function (m) {
        var topLevel = m.default;
        return topLevel();
      });
    }

    // The global channel goes nowhere: posting on it does nothing (the frame does not listen to it
    // anyway), and nothing arrives on it after the port. Left writable: code that assigns to it must not throw.
    function unplugGlobalChannel() {
      var silent = function postMessage() {};
      var owners = [scope, Object.getPrototypeOf(scope)];
      for (var i = 0; i < owners.length; i++) {
        try {
          Object.defineProperty(owners[i], 'postMessage', { value: silent, writable: true, configurable: true });
        } catch (e) {
          // Not configurable here: the frame ignores this channel all the same.
        }
      }
      scope.onmessage = null;
    }

    function onPortMessage(e) {
      var m = e.data;
      if (!m || typeof m !== 'object') return;
      if (m.type === 'stop') {
        if (current && (m.runId === undefined || m.runId === current.runId)) current.abort(m.reason);
        for (var i = 0; i < queued.length; i++) {
          if (queued[i].runId !== m.runId) continue;
          queued.splice(i, 1);
          send({ type: 'dropped', runId: m.runId });
          break;
        }
      } else if (m.type === 'program' && typeof m.code === 'string') {
        if (program) revokeUrl(program.url);
        var url = makeUrl(new BlobOf([m.code], { type: 'text/javascript' }));
        // Importing it runs none of the program's code, only defines the function: done at once, before the first run.
        program = { code: m.code, mappings: String(m.mappings), url: url, module: load(url) };
      } else if (m.type === 'run') {
        if (!current) run(m);
        else if (!m.userUrl) queued.push(m); // a pool sends its next run before this one ends
      }
    }

    // The next queued run of a pool starts as soon as the last one has reported, without waiting for the page.
    function runNext() {
      if (current || queued.length === 0) return;
      run(queued.shift());
    }

    // One run at a time (a pool's next one waits in `queued`). Each run calls the program's function anew (fresh top-level state, for a
    // fresh world), while the runtime and the program's module stay loaded.
    function run(m) {
      var pooled = !m.userUrl;
      if (pooled && !program) {
        send({ type: 'crash', runId: m.runId, message: 'The pool sent a run before its program.' });
        return;
      }
      var controller = new Controller();
      current = { runId: m.runId, abort: controller.abort.bind(controller) };
      var userUrl = pooled ? program.url : m.userUrl;
      var module = pooled ? program.module : null;
      var code = pooled ? program.code : m.code;
      var options = pooled ? assign({}, m.options, { mappings: program.mappings }) : m.options;
      var done = function (message, transfer) {
        current = null;
        send(message, transfer || []);
        if (queued.length > 0) nextTask(runNext);
      };
      (runtime || load(m.runtimeUrl))
        .then(function (rt) {
          var user = { url: userUrl, code: code, load: function () { return evaluate(module || load(userUrl)); } };
          return rt.runInWorker(options, user, controller.signal, scope);
        })
        .then(
          function (r) {
            try {
              // The trace travels as one JSON text in UTF-8 (the runtime made it with the trace hash),
              // its buffer transferred: far cheaper for the page to receive than a structured clone
              // of many small objects.
              done({ type: 'report', runId: m.runId, run: r }, r.eventsUtf8 ? [r.eventsUtf8.buffer] : []);
            } catch (err) {
              done({ type: 'crash', runId: m.runId, message: 'The run finished but its report could not be sent: ' + String((err && err.message) || err) });
            }
          },
          function (err) {
            done({ type: 'crash', runId: m.runId, message: String((err && (err.stack || err.message)) || err) });
          }
        );
    }

    function onFirstMessage(e) {
      var m = e.data;
      var port = e.ports && e.ports[0];
      if (!m || m.type !== 'preload' || !port) return;
      unlisten('message', onFirstMessage);
      send = port.postMessage.bind(port);
      port.onmessage = onPortMessage;
      unplugGlobalChannel();
      runtime = load(m.runtimeUrl);
      // A pool waits for this before it times a run: loading the runtime is not the run's time.
      runtime.then(
        function () {
          send({ type: 'loaded' });
        },
        function (err) {
          send({ type: 'load-failed', message: String((err && err.message) || err) });
        }
      );
    }
    listen('message', onFirstMessage);
  }

  var parentWindow = window.parent;
  var workerUrl = URL.createObjectURL(
    new Blob(['(' + workerMain.toString() + ')();\n'], { type: 'text/javascript' })
  );
  var runtimeUrl = null;
  var spare = null; // a Worker already loading the runtime, for the next run: { worker, port }
  var current = null; // { runId, worker, port, userUrl }

  function send(message) {
    parentWindow.postMessage(message, '*');
  }

  // A Worker and the port it reports on; the port's other end goes with the first message.
  function newWorker() {
    var worker = new Worker(workerUrl);
    var channel = new MessageChannel();
    worker.postMessage({ type: 'preload', runtimeUrl: runtimeUrl }, [channel.port2]);
    return { worker: worker, port: channel.port1 };
  }

  function end(run) {
    run.worker.terminate();
    run.port.close();
    URL.revokeObjectURL(run.userUrl);
    if (current === run) current = null;
    if (!spare && runtimeUrl) spare = newWorker();
  }

  function start(m) {
    if (current) end(current);
    var fresh = spare || newWorker();
    spare = null;
    var run = {
      runId: m.runId,
      worker: fresh.worker,
      port: fresh.port,
      userUrl: URL.createObjectURL(new Blob([m.code], { type: 'text/javascript' })),
    };
    current = run;
    run.port.onmessage = function (e) {
      var r = e.data;
      if (current !== run || !r || typeof r !== 'object') return;
      if (r.type === 'report') {
        send({ type: 'report', runId: run.runId, run: r.run });
        end(run);
      } else if (r.type === 'crash') {
        send({ type: 'crash', runId: run.runId, message: String(r.message) });
        end(run);
      }
    };
    run.worker.addEventListener('error', function (e) {
      e.preventDefault();
      if (current !== run) return;
      send({ type: 'crash', runId: run.runId, message: 'The run\u2019s worker failed: ' + (e.message || 'unknown error') });
      end(run);
    });
    run.port.postMessage({ type: 'run', runtimeUrl: runtimeUrl, userUrl: run.userUrl, code: m.code, options: m.options });
  }

  // A pool's Workers, by the page's id for each: each starts loading the runtime at once, and its
  // port's other end goes to the page, which sends it runs and reads its reports directly.
  var poolWorkers = Object.create(null);

  function startPoolWorker(workerId) {
    if (poolWorkers[workerId]) return;
    var fresh = newWorker();
    poolWorkers[workerId] = fresh.worker;
    fresh.worker.addEventListener('error', function (e) {
      e.preventDefault();
      if (poolWorkers[workerId] !== fresh.worker) return;
      send({ type: 'pool-worker-failed', workerId: workerId, message: 'A pool worker failed: ' + (e.message || 'unknown error') });
    });
    parentWindow.postMessage({ type: 'pool-worker', workerId: workerId }, '*', [fresh.port]);
  }

  // Ends a pool Worker at once, busy or not (the page does this to a run that never yields).
  function endPoolWorker(workerId) {
    var worker = poolWorkers[workerId];
    if (!worker) return;
    delete poolWorkers[workerId];
    worker.terminate();
  }

  window.addEventListener('message', function (e) {
    if (e.source !== parentWindow) return;
    var m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'runtime' && typeof m.source === 'string') {
      if (spare) spare.worker.terminate();
      if (runtimeUrl) URL.revokeObjectURL(runtimeUrl);
      runtimeUrl = URL.createObjectURL(new Blob([m.source], { type: 'text/javascript' }));
      spare = newWorker();
      send({ type: 'ready', runtimeUrl: runtimeUrl });
    } else if (m.type === 'run' && runtimeUrl) {
      start(m);
    } else if (m.type === 'pool-worker' && runtimeUrl && typeof m.workerId === 'string') {
      startPoolWorker(m.workerId);
    } else if (m.type === 'pool-end' && typeof m.workerId === 'string') {
      endPoolWorker(m.workerId);
    } else if (m.type === 'stop' && current && current.runId === m.runId) {
      current.port.postMessage({ type: 'stop', reason: m.reason });
      // Tells the page this frame is alive: a frame that cannot answer has crashed (out of memory).
      send({ type: 'stopping', runId: m.runId });
    }
  });

  send({ type: 'boot' });
})();
