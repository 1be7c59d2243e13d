// The runtime smoke suite (tests/runtimes/smoke.mjs) under Node, through the package's ESM
// entry: the same checks run in Chromium, the bundler builds and workerd.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as jwtward from "jwtward";
import { runSmoke } from "../runtimes/smoke.mjs";

for (const r of await runSmoke(jwtward)) {
  test(`smoke: ${r.name}`, () => assert.ok(r.ok, r.error));
}
