// Node (and Bun) entry of jwtward, for `import`; `require("jwtward")` loads this same module
// (index.cjs), so both share one wasm instance and one set of classes. The slim core: RSA,
// RSA-PSS, ECDSA and Ed25519 signatures are made and checked, and their keys generated, by
// node:crypto, synchronously; every other check is the core's. JWTWARD_BACKEND=wasm in the
// environment leaves the core without node:crypto (for tests: the slim core then refuses
// asymmetric algorithms; jwtward/full has them all in wasm).
import crypto from "node:crypto";
import core from "./dist/slim/node/jwtward_core.js";
import { nodeRuntime } from "./lib/node-crypto.cjs";
import { createApi } from "./src/api.js";

const api = createApi(nodeRuntime(core, crypto, process.env.JWTWARD_BACKEND));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, Verifier, verify, checkClaims,
  bearerToken, JwtError, Signer, generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken,
  RefreshTokens, MemoryStore, RedisStore } = api;
