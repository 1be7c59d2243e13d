// The packed tarball installed into a Node ES-module project and a CommonJS one
// (fixtures/node-esm, fixtures/node-cjs): each resolves "jwtward" and "jwtward/full" from its own
// node_modules to the entries written for it, and runs the runtime smoke suite against both;
// every result is a test here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { install, pack, run } from "./helpers.mjs";

const FIXTURES = [
  { name: "node-esm", script: "index.mjs", entry: "index.node.mjs", fullEntry: "full/index.node.mjs" },
  { name: "node-cjs", script: "index.cjs", entry: "index.cjs", fullEntry: "full/index.cjs" },
];

let packed;
before(async () => {
  packed = await pack();
});
after(() => packed?.remove());

for (const { name, script, entry, fullEntry } of FIXTURES) {
  test(`${name}: the installed tarball resolves to ${entry} and ${fullEntry} and runs the smoke suite on both`, async (t) => {
    const dir = await install(packed.tarball, name);
    const { stdout } = await run(process.execPath, [script], { cwd: dir });
    const { resolved, resolvedFull, results } = JSON.parse(stdout);
    assert.equal(resolved, join(dir, "node_modules", "jwtward", entry));
    assert.equal(resolvedFull, join(dir, "node_modules", "jwtward", fullEntry));
    assert.ok(results.length > 40, `only ${results.length} smoke results`);
    for (const r of results) await t.test(`${name} smoke: ${r.name}`, () => assert.ok(r.ok, r.error));
  });
}
