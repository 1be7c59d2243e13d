// Cold start in workerd: a fresh isolate per sample. One workerd (Miniflare on 127.0.0.1) runs
// bench/workerd/loader.mjs, which starts each sample's Worker in a new isolate with workerd's
// Worker Loader (a new id each time), so a sample is: create the isolate, load the bundle
// (workerd compiles its .wasm module), run its top level (the import) and its first request
// (build the key and verifier, verify one ES256 token with iss and aud checks). Timed from
// outside, around the request to the loader (each sample's .wasm made unique first, so that V8's
// cache of compiled modules, shared by the isolates of a process, never serves it); the `empty Worker` row is the floor every Worker
// pays (a new isolate, the loader's request), and each row is also given minus that floor.
// The `import only` rows stop after the top level (their fetch returns at once), the `import +
// key` rows after building the key and verifier, and the `.wasm alone` rows import only the
// core's .wasm, so the parts add up: wasm compile, then the JavaScript (glue, API,
// instantiation), then the key, then the first verification.
// Variants are interleaved in a fresh order each sample; medians are reported.
// jwtward's default entry verifies with `verifyAsync` (WebCrypto: its synchronous asymmetric
// verify throws in workerd, by design); `jwtward/full` with `verify` (all in wasm, the reason
// to choose it).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Miniflare } from "miniflare";
import { fixtures, ISSUER, AUDIENCE } from "./fixtures.mjs";
import { median } from "./measure.mjs";
import { bundle } from "./workerd.mjs";
import { ROOT, describe } from "./entries.mjs";

function sources(f) {
  const jwk = JSON.stringify(f.publicJwk);
  const token = JSON.stringify(f.token);
  const opts = JSON.stringify({ algorithms: ["ES256"], issuer: ISSUER, audience: AUDIENCE });
  const worker = (imports, body) => `${imports}\nexport default {\n  async fetch() {\n    ${body}\n    return new Response(String(payload.sub));\n  },\n};\n`;
  const importOnly = (imports, name) => worker(`${imports}\nglobalThis.keep = ${name};`, `const payload = { sub: "user-1234567890" };`);
  const wasm = (path) => importOnly(`import wasm from ${JSON.stringify(join(ROOT, path))};`, "wasm");
  const slimWasm = describe().workerd.default.slim ? "pkg/dist/slim/web/jwtward_core_bg.wasm" : "pkg/dist/web/jwtward_core_bg.wasm";
  return {
    "empty Worker": worker("", `const payload = { sub: "user-1234567890" };`),
    jose: worker(`import * as jose from "jose";`, `const { payload } = await jose.jwtVerify(${token}, await jose.importJWK(${jwk}, "ES256"), ${opts});`),
    "jose, import only": importOnly(`import * as jose from "jose";`, "jose"),
    jwtward: worker(`import { Key, Verifier } from "jwtward-bench-default";`, `const { payload } = await new Verifier(Key.fromJwk(${jwk}), ${opts}).verifyAsync(${token});`),
    "jwtward, import only": importOnly(`import * as jw from "jwtward-bench-default";`, "jw"),
    "jwtward, import + key": worker(`import { Key, Verifier } from "jwtward-bench-default";`, `globalThis.keep = new Verifier(Key.fromJwk(${jwk}), ${opts});\n    const payload = { sub: "user-1234567890" };`),
    "jwtward, .wasm alone": wasm(slimWasm),
    "jwtward/full": worker(`import { Key, Verifier } from "jwtward-bench-full";`, `const { payload } = new Verifier(Key.fromJwk(${jwk}), ${opts}).verify(${token});`),
    "jwtward/full, import only": importOnly(`import * as jw from "jwtward-bench-full";`, "jw"),
    "jwtward/full, import + key": worker(`import { Key, Verifier } from "jwtward-bench-full";`, `globalThis.keep = new Verifier(Key.fromJwk(${jwk}), ${opts});\n    const payload = { sub: "user-1234567890" };`),
    "jwtward/full, .wasm alone": wasm("pkg/dist/web/jwtward_core_bg.wasm"),
  };
}

/** Bundles each variant and packs it for the loader: module names relative to the bundle. */
async function packBundles(dir, f) {
  const packed = {};
  for (const [name, source] of Object.entries(sources(f))) {
    const sub = join(dir, name.replace(/\W+/g, "-"));
    const entry = `${sub}.mjs`;
    await writeFile(entry, source);
    const modules = {};
    const list = await bundle(entry, sub);
    for (const m of list) {
      const file = relative(sub, m.path);
      modules[file] = m.type === "CompiledWasm" ? { wasm: (await readFile(m.path)).toString("base64") } : { js: await readFile(m.path, "utf8") };
    }
    packed[name] = { mainModule: relative(sub, list[0].path), modules };
  }
  return packed;
}

/** Medians in milliseconds, per variant, over `samples` fresh isolates each. */
export async function runColdStartWorkerd({ samples = 21, log = () => {} } = {}) {
  const f = fixtures(["ES256"]).ES256;
  const dir = await mkdtemp(join(ROOT, "bench", ".cold-workerd-start-"));
  let mf;
  try {
    const packed = await packBundles(dir, f);
    mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      modules: true,
      scriptPath: join(ROOT, "bench", "workerd", "loader.mjs"),
      compatibilityDate: "2026-04-01",
      workerLoaders: { LOADER: {} },
    });
    await mf.ready;
    await (await mf.dispatchFetch("http://bench/setup", { method: "POST", body: JSON.stringify(packed) })).text();
    const names = Object.keys(packed);
    const times = Object.fromEntries(names.map((n) => [n, []]));
    let id = 0;
    const cold = async (name) => {
      const sample = `s${id++}`;
      await (await mf.dispatchFetch(`http://bench/prepare?variant=${encodeURIComponent(name)}&id=${sample}`)).text();
      const t0 = performance.now();
      const res = await mf.dispatchFetch(`http://bench/cold?id=${sample}`);
      const text = await res.text();
      const dt = performance.now() - t0;
      if (res.status !== 200 || text !== "user-1234567890") throw new Error(`${name}: ${res.status} ${text}`);
      return dt;
    };
    for (const name of names) await cold(name); // warm the loader's own path; checks every variant
    for (let i = 0; i < samples; i++) {
      for (const name of [...names].sort(() => Math.random() - 0.5)) times[name].push(await cold(name));
      if ((i + 1) % 5 === 0 || i + 1 === samples) log(`workerd cold start ${i + 1}/${samples}`);
    }
    const rows = names.map((lib) => ({ lib, ms: median(times[lib]), samples: times[lib] }));
    const floor = rows.find((r) => r.lib === "empty Worker").ms;
    for (const r of rows) r.overEmpty = r.ms - floor;
    return rows;
  } finally {
    if (mf) await mf.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runColdStartWorkerd({ samples: Number(process.env.BENCH_COLD || 11), log: (m) => process.stderr.write(`${m}\n`) });
  for (const r of rows) console.log(`${r.lib}\t${r.ms.toFixed(1)} ms\t(+${r.overEmpty.toFixed(1)} over an empty Worker)`);
}
