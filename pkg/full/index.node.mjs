// jwtward/full for Node (and Bun), for `import`; `require("jwtward/full")` loads this same module
// (full/index.cjs). The full core: RSA, ECDSA and Ed25519 are in its wasm too, but node:crypto
// makes and checks those signatures here (faster), as the default entry's. JWTWARD_BACKEND=wasm
// in the environment leaves every signature to the wasm (for tests and comparisons).
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { createApi } from "../src/api.js";
import { nodeRuntime } from "../src/hosts/node-crypto.js";

// wasm-bindgen's CommonJS bindings through require(), not import: importing CommonJS from an ES
// module makes Node lex its source for export names first, which took half of the import time
// (Node 20: 64 -> 28 ms, Node 22: 28 -> 17 ms for the whole entry).
const require = createRequire(import.meta.url);
const core = require("../dist/node/jwtward_core.js");

const api = createApi(nodeRuntime(core, crypto, process.env.JWTWARD_BACKEND));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
