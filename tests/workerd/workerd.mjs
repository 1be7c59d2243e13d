// Runs a Worker in real workerd for the tests: bundles it the way Wrangler does (esbuild, the
// `workerd`/`worker`/`browser` export conditions, ES modules, `.wasm` imports kept as separate
// modules) and hands the bundle to Miniflare, which serves it over HTTP on 127.0.0.1.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const EXAMPLE = join(ROOT, "js-examples", "cloudflare-worker");
const START_TIMEOUT_MS = 30_000;

/**
 * The top-level `key = "value"` pairs and the `[vars]` table of a wrangler.toml: enough of TOML
 * for the example's own file (Wrangler itself is not needed to run the tests).
 */
export async function readWranglerToml(path) {
  const config = { vars: {} };
  let table = config;
  for (const line of (await readFile(path, "utf8")).split("\n")) {
    const section = /^\s*\[(\w+)\]\s*$/.exec(line);
    if (section) table = config[section[1]] ??= {};
    const pair = /^\s*(\w+)\s*=\s*"([^"]*)"\s*$/.exec(line);
    if (pair) table[pair[1]] = pair[2];
  }
  return config;
}

/**
 * Bundles `entry` into `outdir` as Wrangler would. esbuild's `copy` loader leaves each `.wasm`
 * import in place, pointing at a copied file, which workerd loads as a `CompiledWasm` module: the
 * Worker receives a compiled `WebAssembly.Module`, never bytes to compile at run time.
 * `plugins`: extra esbuild plugins (the benchmark's maps its variant names to entries).
 */
export async function bundleWorker(entry, outdir, { plugins = [] } = {}) {
  const { metafile } = await build({
    entryPoints: { worker: entry },
    absWorkingDir: ROOT,
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    loader: { ".wasm": "copy" },
    // The runtime's own modules, as Wrangler leaves them.
    external: ["cloudflare:*"],
    plugins,
    metafile: true,
    logLevel: "silent",
  });
  const modules = Object.keys(metafile.outputs).map((file) => ({
    type: file.endsWith(".wasm") ? "CompiledWasm" : "ESModule",
    path: resolve(ROOT, file),
  }));
  // The entry first: workerd runs the first module.
  modules.sort((a, b) => (a.type === "ESModule" ? 0 : 1) - (b.type === "ESModule" ? 0 : 1));
  const code = await readFile(modules[0].path, "utf8");
  return { modules, code, inputs: Object.keys(metafile.inputs) };
}

/**
 * Asserts that a bundle took jwtward's workerd entry (`entry`: "jwtward", on the slim module, or
 * "jwtward/full"): the .wasm as its own module, no base64 copy, not the other module.
 */
export function assertWorkerdBundle(bundle, entry = "jwtward") {
  const [own, dist, other] = entry === "jwtward/full" ? ["pkg/full/index.workerd.mjs", "pkg/dist/web", "pkg/dist/slim/web"] : ["pkg/index.workerd.mjs", "pkg/dist/slim/web", "pkg/dist/web"];
  assert.ok(bundle.inputs.includes(own), `inputs: ${bundle.inputs.join(", ")}`);
  assert.ok(bundle.inputs.includes(`${dist}/jwtward_core.js`), `inputs: ${bundle.inputs.join(", ")}`);
  for (const file of ["pkg/index.browser.mjs", "pkg/full/index.browser.mjs", "pkg/index.node.mjs", "pkg/full/index.node.mjs", `${dist}/jwtward_core_wasm.mjs`, `${other}/jwtward_core.js`]) {
    assert.ok(!bundle.inputs.includes(file), `the bundle includes ${file}`);
  }
  const wasm = bundle.modules.filter((m) => m.type === "CompiledWasm");
  assert.equal(wasm.length, 1, "exactly one .wasm module");
  assert.ok(bundle.code.includes(`from "./${basename(wasm[0].path)}"`), "the bundle imports the .wasm module");
  assert.doesNotMatch(bundle.code, /[A-Za-z0-9+/]{1000}/, "the bundle carries a long base64 string");
  assert.ok(bundle.code.length < 200_000, `the bundle is ${bundle.code.length} bytes: the wasm was inlined`);
}

/**
 * Bundles `entry` and serves it with Miniflare (workerd) on 127.0.0.1 at a free port.
 * Returns `{ url, bundle, logs, mf, dispose }`; `logs` collects what the Worker logged.
 * `configure(worker)`: the Miniflare options from the bundled Worker's own options (default:
 * that one Worker), e.g. to add Durable Objects, persistence or a second Worker.
 */
export async function startWorker({ entry, compatibilityDate, bindings = {}, configure = (worker) => worker }) {
  const dir = await mkdtemp(join(tmpdir(), "jwtward-workerd-"));
  const logs = [];
  let mf = null;
  const dispose = async () => {
    if (mf !== null) await mf.dispose();
    mf = null;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const bundle = await bundleWorker(entry, dir);
    mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      ...configure({ modulesRoot: dir, modules: bundle.modules, compatibilityDate, bindings }),
      handleStructuredLogs: ({ level, message }) => {
        logs.push(`${level}: ${message}`); // must return nothing: Miniflare checks
      },
    });
    let timer;
    const url = await Promise.race([
      mf.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`workerd did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    return { url, bundle, logs, mf, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
