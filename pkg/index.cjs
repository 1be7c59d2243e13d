// Node CommonJS entry of jwtward: loads the wasm-bindgen core (compiled synchronously at require
// time, so no init() call is needed) and builds the public API over it. The ESM entry re-exports
// this module, so both entries share one wasm instance and one JwtError class.
//
// Signatures (RSA, RSA-PSS, ECDSA, Ed25519) are checked by node:crypto, every other check by the
// core. JWTWARD_BACKEND=wasm in the environment forces the pure-wasm backend instead (for tests
// and comparisons; both pass the same Wycheproof and conformance tests).
"use strict";

const core = require("./dist/node/jwtward_core.js");
const crypto = require("node:crypto");

const backend = process.env.JWTWARD_BACKEND || "node";
if (backend !== "wasm" && backend !== "node") {
  throw new TypeError(`JWTWARD_BACKEND must be "node" or "wasm", got ${JSON.stringify(backend)}`);
}
if (backend === "node") core.setHostCrypto(require("./lib/node-crypto.cjs")(crypto));

// The verified-token cache hashes tokens with node:crypto's one-shot hash where Node has it.
const hashToken = typeof crypto.hash === "function"
  ? (token) => crypto.hash("sha256", token, "base64url")
  : (token) => crypto.createHash("sha256").update(token).digest("base64url");

module.exports = require("./lib/api.cjs")(core, {
  createRemote: require("./lib/remote.cjs"),
  createRefresh: require("./lib/refresh.cjs"),
  createCache: require("./lib/cache.cjs"),
  hashToken,
});
