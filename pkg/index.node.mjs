// Node (and Deno, Bun) entry of jwtward, for `import`; `require("jwtward")` loads this same module
// (index.cjs), so both share one wasm instance and one set of classes. Signatures (RSA, RSA-PSS,
// ECDSA, Ed25519) are checked by node:crypto, every other check by the core. JWTWARD_BACKEND=wasm
// in the environment forces the pure-wasm backend (for tests and comparisons).
import crypto from "node:crypto";
import core from "./dist/node/jwtward_core.js";
import createNodeCrypto from "./lib/node-crypto.cjs";
import { createApi } from "./src/api.js";

const backend = process.env.JWTWARD_BACKEND || "node";
if (backend !== "wasm" && backend !== "node") {
  throw new TypeError(`JWTWARD_BACKEND must be "node" or "wasm", got ${JSON.stringify(backend)}`);
}
if (backend === "node") core.setHostCrypto(createNodeCrypto(crypto));

// The verified-token cache hashes tokens with node:crypto's one-shot hash where Node has it.
const hashWithHost = typeof crypto.hash === "function"
  ? (token) => crypto.hash("sha256", token, "base64url")
  : (token) => crypto.createHash("sha256").update(token).digest("base64url");

const api = createApi({ core, hashToken: hashWithHost });

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, Verifier, verify, checkClaims,
  bearerToken, JwtError, Signer, generateKeyPair, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore } = api;
