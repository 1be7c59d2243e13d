// Browser entry of jwtward/full: the FULL module (RSA, ECDSA and Ed25519 in wasm), so every
// method is synchronous, as in 0.1; WebCrypto still checks signatures for verifyAsync. The .wasm
// travels inside a JS module as hex text (no bundler configuration, no init() call).
import * as core from "../dist/web/jwtward_core.js";
import wasmBytes from "../dist/web/jwtward_core_wasm.mjs";
import { createApi } from "../src/api.js";
import { webRuntime } from "../src/web-runtime.js";

core.initSync({ module: wasmBytes });
const api = createApi(webRuntime(core));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
