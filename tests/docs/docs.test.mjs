// Documentation that runs: every ```js and ```ts block of README.md and pkg/README.md, extracted
// and run as written against the built package (`jwtward` resolves to ./pkg through the dev
// workspace's node_modules), then type-checked under --strict (nodenext and bundler resolution).
//   node --test tests/docs/
//
// Convention (the block's own code is never changed):
// - A block may use, without defining them, the names the prose says the reader has
//   (FIXTURE_NAMES in blocks.mjs): `token`, `publicPem`, `keys`, `jwksUrl`, `request`, `signer`,
//   `user`, ... A preamble defines exactly those the block uses and does not declare itself,
//   from keys made fresh for the run (fixtures.mjs); `token` is a valid token for the block: signed
//   with the block's first `algorithms` entry, for its `issuer` and `audience` literals, valid at its
//   `currentDate` when it pins one.
// - Remote URLs (https://id.example/..., a provider's JWKS or discovery document) are served by a
//   loopback server: the preamble's fetch sends every non-loopback request there (preamble.cjs).
// - ```ts blocks run too, with their types stripped by TypeScript's transpiler. ESM blocks run
//   as .mjs, blocks that use require() and no import as .cjs, each in its own Node process. A
//   block that imports "redis" or "ioredis" gets REDIS_URL of a throw-away redis-server, and one
//   that reads REDIS_CLUSTER_URL (or makes a cluster client) a throw-away 3-master cluster too.
// - A Worker block (`export default { fetch }`) runs in workerd (Miniflare), bundled as Wrangler
//   would, with the bindings (vars, KV, Durable Objects) of the ```toml block above it, and must
//   answer a request bearing a valid token with 200 (worker.mjs). Browser-only code is in ```html
//   blocks, which are not run here; the browser tests (tests/browser/) load the same page shape.
// - `<!-- docs-test: {...} -->` on the line before a fence overrides what is inferred:
//   `alg`, `now` (epoch seconds), `claims`, `kid`, `harness` ("esm" | "cjs" | "worker").
// Nothing is skipped: a block that cannot run fails its test, named file:line; so does a block
// that prints an error code (ERR_...) its own text does not name. Each block's output is shown as
// a test diagnostic.
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { DOCUMENTS, analyze, extractBlocks } from "./blocks.mjs";
import { ROOT, failure, label, runDocs } from "./runner.mjs";

const GENERATED = join(fileURLToPath(new URL(".", import.meta.url)), ".generated", "docs");

// Known before the run, so that every block has its own test even if the run fails.
const blocks = DOCUMENTS.flatMap((file) => extractBlocks(ROOT, file));
let run;

before(async () => {
  run = await runDocs({ documents: DOCUMENTS, generated: GENERATED });
});

test("the READMEs have blocks to run", () => {
  assert.ok(blocks.length >= 10, `found ${blocks.length} blocks`);
});

for (const block of blocks) {
  const plan = analyze(block);
  const given = plan.needs.length && plan.module !== "worker" ? `; given ${plan.needs.join(", ")}` : "";
  test(`${label(block)} runs as written [${plan.module}${given}]`, (t) => {
    const entry = run.entries.find((e) => e.block.file === block.file && e.block.line === block.line);
    assert.ok(entry, `${label(block)} was not extracted by the run`);
    const result = run.results.get(entry);
    const why = failure(entry, result);
    if (why) assert.fail(why);
    if (result.output) t.diagnostic(result.output.slice(0, 2000));
  });
}

for (const mode of ["nodenext", "bundler"]) {
  test(`every block type-checks under --strict, ${mode} resolution`, () => {
    const errors = run.types.get(mode);
    if (errors.length) assert.fail(`tsc (${mode}):\n${errors.join("\n")}`);
  });
}
