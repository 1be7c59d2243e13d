// The packed tarball installed into a Node ES-module project and a CommonJS one
// (fixtures/node-esm, fixtures/node-cjs): each resolves "jwtward" from its own node_modules to
// the entry written for it, and runs the runtime smoke suite; every result is a test here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { install, pack, run } from "./helpers.mjs";

const FIXTURES = [
  { name: "node-esm", script: "index.mjs", entry: "index.node.mjs" },
  { name: "node-cjs", script: "index.cjs", entry: "index.cjs" },
];

let packed;
before(async () => {
  packed = await pack();
});
after(() => packed?.remove());

for (const { name, script, entry } of FIXTURES) {
  test(`${name}: the installed tarball resolves to ${entry} and runs the smoke suite`, async (t) => {
    const dir = await install(packed.tarball, name);
    const { stdout } = await run(process.execPath, [script], { cwd: dir });
    const { resolved, results } = JSON.parse(stdout);
    assert.equal(resolved, join(dir, "node_modules", "jwtward", entry));
    assert.ok(results.length > 20, `only ${results.length} smoke results`);
    for (const r of results) await t.test(`${name} smoke: ${r.name}`, () => assert.ok(r.ok, r.error));
  });
}
