// Browser (and default) entry of jwtward: the .wasm travels inside a JS module as base64, so a
// plain `<script type="module">`, Vite, esbuild and webpack all load it with no configuration
// and no init() call; it is compiled synchronously at import.
import { initSync } from "./dist/web/jwtward_core.js";
import wasmBase64 from "./dist/web/jwtward_core_wasm.mjs";

function base64ToBytes(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

initSync({ module: base64ToBytes(wasmBase64) });

export * from "./lib/web-api.mjs";
