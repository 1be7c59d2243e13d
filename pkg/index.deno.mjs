// Deno entry of jwtward (the `deno` export condition). Importing it needs no permission flag: the
// .wasm comes from a JS module as hex text (no file read) and compiles synchronously, and nothing
// reads the environment. The slim core with Deno's node:crypto (synchronous) for RSA, RSA-PSS,
// ECDSA and Ed25519, as in Node. `globalThis.JWTWARD_BACKEND = "wasm"` set before the import
// leaves the core without it (for tests).
import crypto from "node:crypto";
import * as core from "./dist/slim/web/jwtward_core.js";
import wasmBytes from "./dist/slim/web/jwtward_core_wasm.mjs";
import { nodeRuntime } from "./src/hosts/node-crypto.js";
import { createApi } from "./src/api.js";

core.initSync({ module: wasmBytes });
const api = createApi(nodeRuntime(core, crypto, globalThis.JWTWARD_BACKEND));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
