// Loads jwtward with its wasm memory observable: the bindings do not export the memory, and
// process.memoryUsage() only folds it into `external` with other memory (not `arrayBuffers`), so
// the instance is captured as it is created and WebAssembly.Instance restored at once. Import
// this before anything that imports jwtward.
// Shared by tests/js/attacks.test.mjs and the benchmarks in bench/.
let memory;
const NativeInstance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new NativeInstance(module, imports);
  memory ??= instance.exports.memory;
  return instance;
};
export const jwtward = await import("jwtward");
WebAssembly.Instance = NativeInstance;
if (!memory) throw new Error("could not observe the wasm memory (did the bindings change how they instantiate?)");

/** Bytes of wasm linear memory (it grows in 64 KiB pages and never shrinks). */
export const wasmMemoryBytes = () => memory.buffer.byteLength;
