// Browser (and default) entry of jwtward: the .wasm travels inside a JS module as base64, so a
// plain `<script type="module">`, Vite, esbuild and webpack all load it with no configuration
// and no init() call; it is compiled synchronously at import.
import * as core from "./dist/web/jwtward_core.js";
import wasmBase64 from "./dist/web/jwtward_core_wasm.mjs";
import { createApi } from "./src/api.js";
import { webRuntime } from "./src/web-runtime.js";

function base64ToBytes(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

core.initSync({ module: base64ToBytes(wasmBase64) });
const api = createApi(webRuntime(core));

// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, Verifier, verify, checkClaims,
  bearerToken, JwtError, Signer, generateKeyPair, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore } = api;
