// The public API over the `web` bindings, shared by the browser and workerd entries. Each of
// those entries instantiates the wasm its runtime's way (initSync) and re-exports this module;
// the core is only called once user code runs, after the entry has initialised it.
//
// Backends: `verify` is synchronous, all in wasm; `verifyAsync` has RSA, ECDSA and Ed25519
// signatures checked by WebCrypto (native there, far faster than wasm). Setting
// `globalThis.JWTWARD_BACKEND = "wasm"` before the package is imported forces the pure-wasm
// path for `verifyAsync` too (for tests and comparisons).
import * as core from "../dist/web/jwtward_core.js";
import createApi from "../dist/esm/api.mjs";
import createRefresh from "../dist/esm/refresh.mjs";
import createRemote from "../dist/esm/remote.mjs";
import createCache from "../dist/esm/cache.mjs";
import createWebCrypto from "../dist/esm/webcrypto.mjs";

const backend = globalThis.JWTWARD_BACKEND || "webcrypto";
if (backend !== "wasm" && backend !== "webcrypto") {
  throw new TypeError(`JWTWARD_BACKEND must be "webcrypto" or "wasm", got ${JSON.stringify(backend)}`);
}
const subtle = globalThis.crypto && globalThis.crypto.subtle;
const asyncCrypto = backend === "webcrypto" && subtle ? createWebCrypto(subtle, core.hostKeySpki) : null;

const api = createApi(core, { createRemote, createRefresh, createCache, asyncCrypto });

export const {
  decode,
  decodeHeader,
  Key,
  KeySet,
  RemoteKeySet,
  remoteKeySet,
  Verifier,
  verify,
  checkClaims,
  bearerToken,
  JwtError,
  Signer,
  generateKeyPair,
  generateRefreshToken,
  hashToken,
  RefreshTokens,
  MemoryStore,
  RedisStore,
} = api;
