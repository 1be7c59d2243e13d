// Browser (and default web) entry of jwtward, on the SLIM module: no RSA/ECDSA/Ed25519
// arithmetic in wasm, WebCrypto does it, so those keys are used through verifyAsync, signAsync
// and generateKeyPairAsync (the synchronous methods refuse them with a TypeError naming the
// async method and "jwtward/full", whose module does everything synchronously). HMAC, JSON,
// claims and key checks stay in wasm and synchronous. The .wasm travels inside a JS module as
// hex text (decoded at import), so a plain `<script type="module">`, Vite, esbuild and webpack all load it with no
// configuration and no init() call; it is compiled synchronously at import.
import * as core from "./dist/slim/web/jwtward_core.js";
import wasmBytes from "./dist/slim/web/jwtward_core_wasm.mjs";
import { createApi } from "./src/api.js";
import { webRuntime } from "./src/web-runtime.js";

core.initSync({ module: wasmBytes });
const api = createApi(webRuntime(core));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
