// Node CommonJS entry of jwtward: loads the wasm-bindgen core (compiled synchronously at require
// time, so no init() call is needed) and builds the public API over it. The ESM entry re-exports
// this module, so both entries share one wasm instance and one JwtError class.
"use strict";

module.exports = require("./lib/api.cjs")(require("./dist/node/jwtward_core.js"), {
  createRemote: require("./lib/remote.cjs"),
  createRefresh: require("./lib/refresh.cjs"),
});
