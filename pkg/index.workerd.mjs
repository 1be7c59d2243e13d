// Cloudflare Workers (workerd) entry of jwtward, on the SLIM module: RSA, ECDSA and Ed25519 are
// WebCrypto's (verifyAsync, signAsync, generateKeyPairAsync; the synchronous methods refuse
// those keys with a TypeError naming the async method and "jwtward/full"); HMAC, JSON, claims
// and key checks stay in wasm and synchronous. Workers refuse to compile wasm bytes at run
// time, so the .wasm is imported as a module (Wrangler and Miniflare hand over a compiled
// `WebAssembly.Module`) and instantiated synchronously; no init() call is needed.
import * as core from "./dist/slim/web/jwtward_core.js";
import wasmModule from "./dist/slim/web/jwtward_core_bg.wasm";
import { createApi } from "./src/api.js";
import { webRuntime } from "./src/web-runtime.js";

core.initSync({ module: wasmModule });
const api = createApi(webRuntime(core));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
