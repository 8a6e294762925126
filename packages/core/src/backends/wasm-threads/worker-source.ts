/**
 * The code each pthread worker runs. tfjs-backend-wasm hands Emscripten its pthread script as a
 * `blob:` URL and the main script (the threaded module factory) as a `Blob`; Node's
 * `worker_threads` accepts neither. So every worker starts from {@link WORKER_BOOTSTRAP} (run with
 * `eval: true`), receives the pthread script's text as its first message, and evaluates it
 * followed by {@link WORKER_POSTLUDE}. That script already speaks Node (`parentPort`, `require`,
 * `self`, `importScripts` over `fs`); the postlude only teaches `importScripts` to run inline
 * source and defines the bundle-level names the factory's source refers to.
 */

/** `urlOrBlob` values starting with this carry the main script's source instead of a URL. */
export const INLINE_SCRIPT_PREFIX = 'aigc-inline-script:';

/** Key of the first message to a worker: the pthread script's source text. */
export const SOURCE_MESSAGE_KEY = 'aigcPthreadSource';

/**
 * Bundle-level names of `@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.node.js` (4.22) that
 * the threaded factory's `toString()` refers to, and what they stand for. A test checks this
 * against the installed bundle, so an upgrade that renames them fails loudly.
 */
export const FACTORY_REQUIRES: Readonly<Record<string, string>> = {
  require$$0: 'fs',
  require$$1: 'path',
  require$$3: 'perf_hooks',
  require$$4: 'os',
};

/** tslib helpers the factory's (ES5-downlevelled) source calls. */
export const FACTORY_HELPERS = ['__values', '__read', '__spreadArray'] as const;

/** Evaluated in each worker after the pthread script: the globals the factory source expects. */
export const WORKER_POSTLUDE = `
;(function () {
  var g = globalThis;
  g.commonjsGlobal = g;
${Object.entries(FACTORY_REQUIRES)
  .map(([name, id]) => `  g[${JSON.stringify(name)}] = require(${JSON.stringify(id)});`)
  .join('\n')}
  g.__values = function (o) {
    var m = typeof Symbol === 'function' && Symbol.iterator && o[Symbol.iterator];
    if (m) return m.call(o);
    var i = 0;
    return { next: function () { if (o && i >= o.length) o = void 0; return { value: o && o[i++], done: !o }; } };
  };
  g.__read = function (o, n) {
    var out = [];
    var it = o[Symbol.iterator]();
    for (var r; (n === void 0 || n-- > 0) && !(r = it.next()).done;) out.push(r.value);
    return out;
  };
  g.__spreadArray = function (to, from) { return to.concat(Array.prototype.slice.call(from)); };
  var fileImportScripts = g.importScripts;
  var prefix = ${JSON.stringify(INLINE_SCRIPT_PREFIX)};
  g.importScripts = function (url) {
    if (typeof url === 'string' && url.indexOf(prefix) === 0) (0, eval)(url.slice(prefix.length));
    else fileImportScripts(url);
  };
})();
`;

/**
 * What a pthread worker is started with (`new Worker(WORKER_BOOTSTRAP, { eval: true })`): waits
 * for the pthread script's text, then runs it with the postlude. Later messages go to the
 * script's own `parentPort` listener. It uses bare module ids: the text also sits, never run, in
 * browser bundles of @aigc/core, whose packed-consumer check rejects `node:` requires.
 */
export const WORKER_BOOTSTRAP = `
'use strict';
const { parentPort } = require('worker_threads');
globalThis.require = require;
globalThis.__filename = '/aigc-wasm-pthread.js';
let started = false;
parentPort.on('message', (message) => {
  if (started) return;
  started = true;
  (0, eval)(message[${JSON.stringify(SOURCE_MESSAGE_KEY)}] + ${JSON.stringify(WORKER_POSTLUDE)});
});
`;
