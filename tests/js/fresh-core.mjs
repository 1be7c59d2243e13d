// A fresh instance of a wasm core (the Node bindings loaded again, so a new WebAssembly
// instance), with the given host backend installed or none: for the tests that compare the
// signature backends side by side, apart from the package's own instance. Either module: the
// full one (jwtward/full's, with RSA, ECDSA and Ed25519 in wasm) or the slim one (jwtward's).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const GLUES = {
  full: require.resolve("../../pkg/dist/node/jwtward_core.js"),
  slim: require.resolve("../../pkg/dist/slim/node/jwtward_core.js"),
};

/**
 * @param {object | undefined} host a host crypto object (pkg/src/hosts/node-crypto.js), or undefined for the core alone
 * @param {"full" | "slim"} module which core
 */
export function freshCore(host, module = "full") {
  const GLUE = GLUES[module];
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
