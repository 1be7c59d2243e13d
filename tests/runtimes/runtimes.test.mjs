// The runtime smoke suite (tests/runtimes/smoke.mjs) in every server-side runtime the package
// names besides the Node that runs this file: Node 22 and 24, Deno 2 and Bun 1. Their binaries
// come from npm packages that scripts/setup.sh installs into .tools/runtimes (never downloaded
// any other way). Each runtime imports "jwtward" from a throw-away project whose node_modules
// links to ./pkg, as a user's installed copy would, and resolves it through its own export
// conditions. Deno runs with no permission flag at all: importing the package must need none.
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

/** Each runtime: its binary, the arguments before the script, and whether it runs CommonJS too. */
const RUNTIMES = [
  { name: "Node 22", bin: join(BIN, "node22", "bin", "node"), args: [], cjs: true },
  { name: "Node 24", bin: join(BIN, "node24", "bin", "node"), args: [], cjs: true },
  // `deno run` with no --allow-* flag: an import that reads a file or the environment fails.
  { name: "Deno 2", bin: join(BIN, "@deno", "linux-x64-glibc", "deno"), args: ["run", "--quiet"], cjs: false },
  { name: "Bun 1", bin: join(BIN, "@oven", "bun-linux-x64", "bin", "bun"), args: ["run"], cjs: true },
];

const REPORT = (load) => `${load}
const { runSmoke } = await import(${JSON.stringify(SMOKE)});
const results = await runSmoke(jw);
console.log(JSON.stringify({ total: results.length, failed: results.filter((r) => !r.ok), exports: Object.keys(jw).sort() }));
`;

let project;
before(() => {
  project = mkdtempSync(join(tmpdir(), "jwtward-runtimes-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module", dependencies: { jwtward: "file:../pkg" } }));
  mkdirSync(join(project, "node_modules"));
  symlinkSync(join(ROOT, "pkg"), join(project, "node_modules", "jwtward"), "dir");
  writeFileSync(join(project, "esm.mjs"), REPORT('import * as jw from "jwtward";'));
  writeFileSync(join(project, "cjs.mjs"), REPORT('import { createRequire } from "node:module";\nconst jw = createRequire(import.meta.url)("jwtward");'));
});
after(() => rmSync(project, { recursive: true, force: true }));

function run(bin, args) {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: project, timeout: 120_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }),
    );
  });
}

async function smoke(runtime, script) {
  const { error, stdout, stderr } = await run(runtime.bin, [...runtime.args, script]);
  assert.equal(error, null, `${runtime.name} ${script} failed:\n${stderr.slice(-3000)}`);
  const line = stdout.trim().split("\n").pop();
  const report = JSON.parse(line);
  assert.deepEqual(report.failed, [], `${runtime.name}: smoke checks failed`);
  assert.ok(report.total >= 20, `${runtime.name}: only ${report.total} smoke checks ran`);
  return report;
}

for (const runtime of RUNTIMES) {
  describe(runtime.name, () => {
    test("its binary is installed (scripts/setup.sh)", () => {
      assert.ok(existsSync(runtime.bin), `${runtime.bin} is missing: run scripts/setup.sh`);
    });
    test("the smoke suite passes through import", async () => {
      const report = await smoke(runtime, "esm.mjs");
      assert.ok(report.exports.includes("Verifier") && report.exports.includes("JwtError"));
    });
    if (runtime.cjs) {
      test("the smoke suite passes through require", async () => {
        await smoke(runtime, "cjs.mjs");
      });
    }
  });
}
