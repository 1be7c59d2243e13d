// Cloudflare Workers (workerd) entry of jwtward: Workers refuse to compile wasm bytes at run
// time, so the .wasm is imported as a module (Wrangler and Miniflare hand over a compiled
// `WebAssembly.Module`) and instantiated synchronously; no init() call is needed.
import { initSync } from "./dist/web/jwtward_core.js";
import wasmModule from "./dist/web/jwtward_core_bg.wasm";

initSync({ module: wasmModule });

export * from "./lib/web-api.mjs";
