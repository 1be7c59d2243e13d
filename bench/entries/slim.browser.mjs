// Stand-in for the default browser entry while `jwtward` still loads the full module (see
// bench/entries.mjs): the slim core's web bindings, the .wasm inlined (esbuild's `binary`
// loader: base64 text decoded at start-up, as the package's own jwtward_core_wasm.mjs does), and
// WebCrypto for the async methods. Unused once pkg/index.browser.mjs loads dist/slim/.
import * as core from "../../pkg/dist/slim/web/jwtward_core.js";
import wasmBytes from "../../pkg/dist/slim/web/jwtward_core_bg.wasm";
import { createApi } from "../../pkg/src/api.js";
import { webRuntime } from "../../pkg/src/web-runtime.js";

core.initSync({ module: wasmBytes });
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, Verifier, verify, checkClaims,
  bearerToken, JwtError, Signer, generateKeyPair, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore } = createApi(webRuntime(core));
