// What the browser and workerd entries give `createApi`: their core (already initialised) and,
// for `verifyAsync`, RSA, ECDSA and Ed25519 signatures checked by WebCrypto (native there, far
// faster than wasm; `verify` stays synchronous, all in wasm). Setting
// `globalThis.JWTWARD_BACKEND = "wasm"` before the package is imported forces the pure-wasm path
// for `verifyAsync` too (for tests and comparisons).
import createWebCrypto from "../dist/esm/webcrypto.mjs";

/** @param {any} core the `web` bindings, initialised */
export function webRuntime(core) {
  const backend = globalThis.JWTWARD_BACKEND || "webcrypto";
  if (backend !== "wasm" && backend !== "webcrypto") {
    throw new TypeError(`JWTWARD_BACKEND must be "webcrypto" or "wasm", got ${JSON.stringify(backend)}`);
  }
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  const asyncCrypto = backend === "webcrypto" && subtle ? createWebCrypto(subtle, core.hostKeySpki) : null;
  return { core, asyncCrypto };
}
