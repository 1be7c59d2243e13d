// jwtward/full for Deno (the `deno` export condition): no permission flag needed (the .wasm comes
// from a JS module as base64; nothing reads the environment). The full core, with Deno's
// node:crypto for RSA, RSA-PSS, ECDSA and Ed25519 as in Node; `globalThis.JWTWARD_BACKEND =
// "wasm"` set before the import leaves every signature to the wasm.
import crypto from "node:crypto";
import * as core from "../dist/web/jwtward_core.js";
import wasmBase64 from "../dist/web/jwtward_core_wasm.mjs";
import { nodeRuntime } from "../lib/node-crypto.cjs";
import { createApi } from "../src/api.js";
import { base64ToBytes } from "../src/base64.js";

core.initSync({ module: base64ToBytes(wasmBase64) });
const api = createApi(nodeRuntime(core, crypto, globalThis.JWTWARD_BACKEND));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer,
  discover, kvJwksStore, cacheApiJwksStore, Verifier, verify, checkClaims, bearerToken, JwtError, Signer,
  generateKeyPair, generateKeyPairAsync, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore, RedisClusterStore } = api;
