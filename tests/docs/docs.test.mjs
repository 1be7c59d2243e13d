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
//   block that imports "redis" or "ioredis" gets REDIS_URL of a throw-away redis-server.
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
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { analyze, DOCUMENTS, extractBlocks } from "./blocks.mjs";
import { makeKeys, startKeyServer, valuesFor } from "./fixtures.mjs";
import { typecheck, writeProjects } from "./typecheck.mjs";
import { runWorker, tomlBindings } from "./worker.mjs";
import { startRedis } from "../js/redis-server.mjs";
import { createRequire } from "node:module";

const ts = createRequire(import.meta.url)("typescript");

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(HERE, "..", "..");
const GENERATED = join(HERE, ".generated");
const BLOCK_TIMEOUT_MS = 20_000;
const PARALLEL = 3;

const entries = DOCUMENTS.flatMap((file) => extractBlocks(ROOT, file)).map((block) => ({ block, plan: analyze(block) }));
const label = (block) => `${block.file}:${block.line} (${block.lang})`;

let keys;
let server;
let redis = null;
const results = new Map();
let typeResults;

function runNode(file, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(HERE, "run-block.mjs"), file], { env: { ...process.env, ...env }, timeout: BLOCK_TIMEOUT_MS, cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim(), error: error && (error.killed ? `timed out after ${BLOCK_TIMEOUT_MS} ms` : `exit code ${error.code}`) });
    });
  });
}

async function runEntry({ block, plan }, index) {
  const values = await valuesFor(keys, plan);
  const stem = join(GENERATED, `run-${index}-${block.file.replace(/[^\w]+/g, "_")}-L${block.line}`);
  const valuesFile = `${stem}.json`;
  writeFileSync(valuesFile, JSON.stringify(values));
  // A TypeScript block runs too, its types stripped by TypeScript's own transpiler (nothing else
  // changes); a block of declarations alone runs as an empty module.
  const code = block.lang === "ts" ? ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } }).outputText : block.code;
  if (plan.module === "worker") {
    const file = `${stem}.mjs`;
    writeFileSync(file, code);
    const bindings = tomlBindings(block.toml);
    const vars = bindings.vars;
    const claims = { ...(vars.ISSUER ? { iss: vars.ISSUER } : {}), ...(vars.AUDIENCE ? { aud: vars.AUDIENCE } : {}), ...plan.claims };
    const { token } = await valuesFor(keys, { ...plan, claims });
    try {
      const res = await runWorker({ file, outdir: `${stem}-worker`, bindings, origin: server.origin, token });
      return res.status === 200 ? { ok: true, output: "" } : { ok: false, error: `the Worker answered ${res.status}`, output: res.body };
    } catch (e) {
      return { ok: false, error: "the Worker did not run", output: String(e?.stack ?? e) };
    }
  }
  const cjs = plan.module === "cjs";
  const file = `${stem}.${cjs ? "cjs" : "mjs"}`;
  const preamble = join(HERE, "preamble.cjs");
  const names = JSON.stringify(plan.needs);
  const head = cjs
    ? `const __docsFixtures = require(${JSON.stringify(preamble)});\nconst { ${plan.needs.join(", ")} } = __docsFixtures(${names});\n`
    : `import __docsFixtures from ${JSON.stringify(preamble)};\nconst { ${plan.needs.join(", ")} } = __docsFixtures(${names});\n`;
  writeFileSync(file, head + code);
  const env = { JWTWARD_DOCS_ORIGIN: server.origin, JWTWARD_DOCS_VALUES: valuesFile };
  if (plan.redis) {
    redis ??= startRedis();
    env.REDIS_URL = (await redis).url;
  }
  return runNode(file, env);
}

before(async () => {
  rmSync(GENERATED, { recursive: true, force: true });
  mkdirSync(GENERATED, { recursive: true });
  keys = makeKeys(GENERATED);
  server = await startKeyServer(keys);
  const projects = writeProjects(GENERATED, entries);
  // The two tsc runs go alongside the blocks.
  const types = Promise.all(Object.entries(projects).map(async ([mode, dir]) => [mode, await typecheck(ROOT, dir, entries)]));
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const i = next++;
      results.set(entries[i], await runEntry(entries[i], i));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  typeResults = new Map(await types);
});

after(async () => {
  await server?.close();
  if (redis) await (await redis).stop();
});

test("the READMEs have blocks to run", () => {
  assert.ok(entries.length >= 10, `found ${entries.length} blocks`);
});

for (const entry of entries) {
  test(`${label(entry.block)} runs as written [${entry.plan.module}${entry.plan.needs.length && entry.plan.module !== "worker" ? `; given ${entry.plan.needs.join(", ")}` : ""}]`, (t) => {
    const r = results.get(entry);
    assert.ok(r, "not run");
    if (!r.ok) assert.fail(`${label(entry.block)} failed (${r.error}):\n${r.output}`);
    if (r.output) t.diagnostic(r.output.slice(0, 2000));
    // A block that catches a JwtError and prints its code would hide a fixture it refused: every
    // error code it prints must be one the block itself names (in a comment, as what to expect).
    for (const code of new Set(r.output.match(/\bERR_[A-Z_]+/g) ?? [])) {
      assert.ok(entry.block.code.includes(code), `${label(entry.block)} printed ${code}, which it does not expect:\n${r.output}`);
    }
  });
}

for (const mode of ["nodenext", "bundler"]) {
  test(`every block type-checks under --strict, ${mode} resolution`, () => {
    const errors = typeResults.get(mode);
    if (errors.length) assert.fail(`tsc (${mode}):\n${errors.join("\n")}`);
  });
}
