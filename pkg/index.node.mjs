// Node (and Bun) entry of jwtward, for `import`; `require("jwtward")` loads this same module
// (index.cjs), so both share one wasm instance and one set of classes. The slim core: RSA,
// RSA-PSS, ECDSA and Ed25519 signatures are made and checked, and their keys generated, by
// node:crypto, synchronously; every other check is the core's. JWTWARD_BACKEND=wasm in the
// environment leaves the core without node:crypto (for tests: the slim core then refuses
// asymmetric algorithms; jwtward/full has them all in wasm).
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { createApi } from "./src/api.js";
import { nodeRuntime } from "./src/hosts/node-crypto.js";

// wasm-bindgen's CommonJS bindings through require(), not import: importing CommonJS from an ES
// module makes Node lex its source for export names first, which took half of the import time
// (Node 20: 64 -> 28 ms, Node 22: 28 -> 17 ms for the whole entry).
const require = createRequire(import.meta.url);
const core = require("./dist/slim/node/jwtward_core.js");

const api = createApi(nodeRuntime(core, crypto, process.env.JWTWARD_BACKEND));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
