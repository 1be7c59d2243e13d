// What the browser and workerd entries give `createApi`: their core (already initialised) and
// WebCrypto (hosts/webcrypto.js). On the full module (jwtward/full) WebCrypto checks RSA, ECDSA
// and Ed25519 signatures for `verifyAsync` (native there, far faster than wasm) and everything
// else stays synchronous in wasm. On the slim module (the default entries) WebCrypto is the
// only asymmetric crypto: it also signs for `signAsync` and generates for
// `generateKeyPairAsync`, and the synchronous methods refuse asymmetric keys (`asyncOnly`).
// Setting `globalThis.JWTWARD_BACKEND = "wasm"` before the package is imported leaves WebCrypto
// out (for tests and comparisons; on the slim module asymmetric keys then cannot be used).
import createWebCrypto from "./hosts/webcrypto.js";

/** @param {any} core the `web` bindings, initialised */
export function webRuntime(core) {
  const backend = globalThis.JWTWARD_BACKEND || "webcrypto";
  if (backend !== "wasm" && backend !== "webcrypto") {
    throw new TypeError(`JWTWARD_BACKEND must be "webcrypto" or "wasm", got ${JSON.stringify(backend)}`);
  }
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  const asyncCrypto = backend === "webcrypto" && subtle ? createWebCrypto(subtle, core.hostKeySpki) : null;
  // The slim core says so in its tables (no RSA/ECDSA/Ed25519 arithmetic of its own).
  const asyncOnly = typeof core.coreTables === "function" && JSON.parse(core.coreTables()).asym === false;
  return { core, asyncCrypto, asyncOnly };
}
