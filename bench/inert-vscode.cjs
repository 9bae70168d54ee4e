// Replaces the `vscode` module with an inert stand-in in a plain Node process, so an extension
// bundle can be required outside VS Code: every property, call and construction of it gives the
// stand-in again. Preloaded with `node -r bench/inert-vscode.cjs`, or required first.
// Used by bench/load-probe.cjs and test/scripts/build.test.ts.
'use strict';
const Module = require('node:module');

const inert = new Proxy(function () {}, {
  get: (_target, property) => (property === '__esModule' ? false : inert),
  apply: () => inert,
  construct: () => inert,
});
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? inert : load.call(this, request, ...rest);
};
