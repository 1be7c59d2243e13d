// The runtime smoke suite (tests/runtimes/smoke.mjs) in every server-side runtime the package
// names besides the Node that runs this file: Node 22 and 24, Deno 2 and Bun 1. Their binaries
// come from npm packages that scripts/setup.sh installs into .tools/runtimes (never downloaded
// any other way). Each runtime imports "jwtward" from a throw-away project whose node_modules
// links to ./pkg, as a user's installed copy would, and resolves it through its own export
// conditions: both "jwtward" (the slim core, node:crypto signing and verifying) and
// "jwtward/full" (everything in wasm too), each checked to be the file written for that runtime.
// jwtward/full also runs in its pure-wasm core (JWTWARD_BACKEND=wasm: the environment in Node and
// Bun, globalThis in Deno), as it runs where there is no host crypto; the slim entry's refusal
// under the same setting shows the setting reached the runtime's entry.
// Deno runs with no permission flag at all: importing either entry must need none.
// A missing binary fails the test: this suite never passes by running nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, ".tools", "runtimes", "node_modules");
const SMOKE = pathToFileURL(join(ROOT, "tests", "runtimes", "smoke.mjs")).href;

/**
 * Each runtime: its binary, the arguments before the script, whether it runs CommonJS too, and
 * the entry file its export conditions must pick (relative to the package, for import).
 */
const RUNTIMES = [
  { name: "Node 22", bin: join(BIN, "node22", "bin", "node"), args: [], cjs: true, entry: "index.node.mjs" },
  { name: "Node 24", bin: join(BIN, "node24", "bin", "node"), args: [], cjs: true, entry: "index.node.mjs" },
  // `deno run` with no --allow-* flag: an import that reads a file or the environment fails.
  { name: "Deno 2", bin: join(BIN, "@deno", "linux-x64-glibc", "deno"), args: ["run", "--quiet"], cjs: false, entry: "index.deno.mjs" },
  { name: "Bun 1", bin: join(BIN, "@oven", "bun-linux-x64", "bin", "bun"), args: ["run"], cjs: true, entry: "index.node.mjs" },
];

/** The two entries: the specifier, and the directory of its files inside the package. */
const ENTRIES = [
  { specifier: "jwtward", dir: "" },
  { specifier: "jwtward/full", dir: "full/" },
];

/** A script that loads the entry (`load` defines `jw` and `resolved`), runs the smoke suite and prints one JSON line. */
const REPORT = (load) => `${load}
const { runSmoke } = await import(${JSON.stringify(SMOKE)});
const results = await runSmoke(jw);
console.log(JSON.stringify({ resolved: String(resolved), total: results.length, failed: results.filter((r) => !r.ok), exports: Object.keys(jw).sort() }));
`;

let project;
before(() => {
  project = mkdtempSync(join(tmpdir(), "jwtward-runtimes-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module", dependencies: { jwtward: "file:../pkg" } }));
  mkdirSync(join(project, "node_modules"));
  symlinkSync(join(ROOT, "pkg"), join(project, "node_modules", "jwtward"), "dir");
  writeFileSync(
    join(project, "wasm.mjs"),
    REPORT(`globalThis.JWTWARD_BACKEND = "wasm";
const jw = await import("jwtward/full");
const resolved = import.meta.resolve("jwtward/full");
const slim = await import("jwtward");
let refused = "nothing thrown";
try { slim.generateKeyPair("ES256"); } catch (e) { refused = e.code; }
if (refused !== "ERR_JOSE_NOT_SUPPORTED") throw new Error("JWTWARD_BACKEND=wasm did not reach the slim entry: " + refused);`),
  );
  for (const [i, { specifier }] of ENTRIES.entries()) {
    const name = JSON.stringify(specifier);
    writeFileSync(join(project, `esm${i}.mjs`), REPORT(`import * as jw from ${name};\nconst resolved = import.meta.resolve(${name});`));
    writeFileSync(
      join(project, `cjs${i}.mjs`),
      REPORT(`import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\nconst jw = require(${name});\nconst resolved = require.resolve(${name});`),
    );
  }
});
after(() => rmSync(project, { recursive: true, force: true }));

function run(bin, args, env = {}) {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: project, timeout: 120_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env } }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }),
    );
  });
}

async function smoke(runtime, script, expectedFile, env) {
  const { error, stdout, stderr } = await run(runtime.bin, [...runtime.args, script], env);
  assert.equal(error, null, `${runtime.name} ${script} failed:\n${stderr.slice(-3000)}`);
  const line = stdout.trim().split("\n").pop();
  const report = JSON.parse(line);
  assert.deepEqual(report.failed, [], `${runtime.name}: smoke checks failed`);
  assert.ok(report.total >= 20, `${runtime.name}: only ${report.total} smoke checks ran`);
  assert.ok(report.resolved.endsWith(`/${expectedFile}`), `${runtime.name} ${script} loaded ${report.resolved}, not ${expectedFile}`);
  return report;
}

for (const runtime of RUNTIMES) {
  describe(runtime.name, () => {
    test("its binary is installed (scripts/setup.sh)", () => {
      assert.ok(existsSync(runtime.bin), `${runtime.bin} is missing: run scripts/setup.sh`);
    });
    for (const [i, { specifier, dir }] of ENTRIES.entries()) {
      test(`the smoke suite passes through import of ${specifier}`, async () => {
        const report = await smoke(runtime, `esm${i}.mjs`, dir + runtime.entry);
        assert.ok(report.exports.includes("Verifier") && report.exports.includes("JwtError"));
      });
      if (runtime.cjs) {
        test(`the smoke suite passes through require of ${specifier}`, async () => {
          await smoke(runtime, `cjs${i}.mjs`, `${dir}index.cjs`);
        });
      }
    }
    test("the smoke suite passes in jwtward/full's pure-wasm core (JWTWARD_BACKEND=wasm)", async () => {
      await smoke(runtime, "wasm.mjs", `full/${runtime.entry}`, { JWTWARD_BACKEND: "wasm" });
    });
  });
}
