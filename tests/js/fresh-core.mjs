// A fresh instance of the wasm core (the Node bindings loaded again, so a new WebAssembly
// instance), with the given host backend installed or none: for the tests that compare the
// signature backends side by side, apart from the package's own instance.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const GLUE = require.resolve("../../pkg/dist/node/jwtward_core.js");

/** @param {object | undefined} host a host crypto object (pkg/lib/node-crypto.cjs), or undefined for the pure-wasm core */
export function freshCore(host) {
  const saved = require.cache[GLUE];
  delete require.cache[GLUE];
  try {
    const core = require(GLUE);
    core.setHostCrypto(host);
    return core;
  } finally {
    if (saved) require.cache[GLUE] = saved;
  }
}
