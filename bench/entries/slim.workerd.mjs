// Stand-in for the default workerd entry while `jwtward` still loads the full module (see
// bench/entries.mjs): the slim core's web bindings over the .wasm imported as a compiled module
// (as pkg/index.workerd.mjs does with the full one), WebCrypto for verifyAsync. Unused once
// pkg/index.workerd.mjs loads dist/slim/.
import * as core from "../../pkg/dist/slim/web/jwtward_core.js";
import wasmModule from "../../pkg/dist/slim/web/jwtward_core_bg.wasm";
import { createApi } from "../../pkg/src/api.js";
import { webRuntime } from "../../pkg/src/web-runtime.js";

core.initSync({ module: wasmModule });
export const { decode, decodeHeader, Key, KeySet, RemoteKeySet, remoteKeySet, Verifier, verify, checkClaims,
  bearerToken, JwtError, Signer, generateKeyPair, generateRefreshToken, hashToken, RefreshTokens, MemoryStore,
  RedisStore } = createApi(webRuntime(core));
