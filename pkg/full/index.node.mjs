// jwtward/full for Node (and Bun), for `import`; `require("jwtward/full")` loads this same module
// (full/index.cjs). The full core: RSA, ECDSA and Ed25519 are in its wasm too, but node:crypto
// makes and checks those signatures here (faster), as the default entry's. JWTWARD_BACKEND=wasm
// in the environment leaves every signature to the wasm (for tests and comparisons).
import crypto from "node:crypto";
import core from "../dist/node/jwtward_core.js";
import { nodeRuntime } from "../lib/node-crypto.cjs";
import { createApi } from "../src/api.js";

const api = createApi(nodeRuntime(core, crypto, process.env.JWTWARD_BACKEND));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, Verifier, verify, checkClaims,
  bearerToken, JwtError, Signer, generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken,
  RefreshTokens, MemoryStore, RedisStore } = api;
