// Shared by the benchmarks: jwtward loaded with its wasm memory observable (the loader is shared
// with the JS tests), a description of the machine, and a timer that reports the median cost of
// one call.
import os from "node:os";

export { jwtward, wasmMemoryBytes } from "../tests/js/observe-wasm.mjs";

export function machine() {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${cpu}, ${os.cpus().length} cores (shared with other work), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/**
 * Median microseconds per call of `fn`, over `rounds` rounds of `batch` calls each (a median of
 * rounds resists the noise of a shared machine). `fn` may throw: refused input is timed too.
 */
export function microsPerCall(fn, { batch = 50, rounds = 15 } = {}) {
  const call = () => {
    try {
      fn();
    } catch {
      // refused input costs what it costs; the caller checks the outcome separately
    }
  };
  for (let i = 0; i < batch; i++) call(); // warm up
  const perCall = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) call();
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / batch);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(rounds / 2)];
}
