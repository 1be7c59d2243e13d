// The runtime smoke suite (tests/runtimes/smoke.mjs) inside workerd: a tiny Worker imports
// jwtward (bundled with the workerd export condition, the .wasm as a compiled module), runs the
// suite and returns the results, each of which becomes a test here. Twice: the default entry
// (the slim module, asymmetric keys through the async methods) and jwtward/full.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { EXAMPLE, assertWorkerdBundle, readWranglerToml, startWorker } from "./workerd.mjs";

const { compatibility_date: compatibilityDate } = await readWranglerToml(join(EXAMPLE, "wrangler.toml"));

for (const [entry, file] of [["jwtward", "smoke-worker.mjs"], ["jwtward/full", "smoke-worker-full.mjs"]]) {
  const worker = await startWorker({ entry: join(import.meta.dirname, file), compatibilityDate });
  let results;
  try {
    const response = await fetch(worker.url, { signal: AbortSignal.timeout(60_000) });
    assert.equal(response.status, 200, await response.clone().text());
    results = await response.json();
  } finally {
    await worker.dispose();
  }

  test(`workerd smoke (${entry}): the bundle took its workerd entry (the .wasm as a compiled module)`, () => {
    assertWorkerdBundle(worker.bundle, entry);
  });
  for (const r of results) {
    test(`workerd smoke (${entry}): ${r.name}`, () => assert.ok(r.ok, r.error));
  }
}
