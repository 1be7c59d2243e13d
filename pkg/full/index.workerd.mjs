// Cloudflare Workers (workerd) entry of jwtward/full: the FULL module (RSA, ECDSA and Ed25519
// in wasm), every method synchronous; WebCrypto still checks signatures for verifyAsync. The
// .wasm is imported as a module (workerd compiles it ahead; no init() call).
import * as core from "../dist/web/jwtward_core.js";
import wasmModule from "../dist/web/jwtward_core_bg.wasm";
import { createApi } from "../src/api.js";
import { webRuntime } from "../src/web-runtime.js";

core.initSync({ module: wasmModule });
const api = createApi(webRuntime(core));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
