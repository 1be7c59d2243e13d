// `npm run bench` / scripts/bench.sh: every benchmark of issue 11, side by side in one run, one
// table per measurement, and bench/RESULTS.md with the machine, the load while it ran, the
// versions, the date and each target (met, or the measured figure). bench/analysis.md, written
// by hand from the profiles, is appended: it says why a missed target is missed and what would
// close it. Which jwtward is measured ("jwtward" = the default entry, "jwtward/full") is found
// by bench/entries.mjs and written into the report.
// BENCH_QUICK=1 runs fewer rounds (a smoke run, not for the record).
import { execSync } from "node:child_process";
import { cpus } from "node:os";
import { readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { runNode, table, DEFAULT, FULL, KEYGEN_ALGS } from "./node.mjs";
import { runWorkerd } from "./workerd.mjs";
import { runColdStart } from "./coldstart.mjs";
import { runColdStartWorkerd } from "./coldstart-workerd.mjs";
import { runSizes } from "./sizes.mjs";
import { describe } from "./entries.mjs";
import { ALGS } from "./fixtures.mjs";

const require = createRequire(import.meta.url);
const quick = process.env.BENCH_QUICK === "1";
const log = (m) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${m}\n`);
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
const sh = (cmd) => execSync(cmd).toString().trim();
const version = (name) => {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  } catch {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  }
};

// The machine is shared: sample the load average all through the run.
const RAW = new URL("./results.json", import.meta.url);
async function measure() {
  const WASMS = ["../pkg/dist/slim/web/jwtward_core_bg.wasm", "../pkg/dist/web/jwtward_core_bg.wasm"].map((p) => new URL(p, import.meta.url));
  const stamps = () => WASMS.map((u) => (existsSync(u) ? statSync(u).mtimeMs : 0)).join(",");
  const stampsBefore = stamps();
  const loadBefore = loadavg();
  const loads = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 10_000);
  const started = new Date();
  log(`load before: ${loadBefore.join(" ")}`);
  const entries = describe();
  const sizes = await runSizes({ log });
  const cold = runColdStart({ samples: quick ? 3 : 21, log });
  const coldWorkerd = await runColdStartWorkerd({ samples: quick ? 3 : 21, log });
  const node = await runNode({ rounds: quick ? 2 : 7, sliceMs: quick ? 60 : 120, clock: "cpu", log });
  const workerd = await runWorkerd({ rounds: quick ? 2 : 5, log });
  clearInterval(sampler);
  const loadAfter = loadavg();
  const finished = new Date();
  const rebuilt = stamps() !== stampsBefore;
  if (rebuilt) log("WARNING: a .wasm was rebuilt during the run");
  loads.push(loadAfter[0]);
  const free = (col) => sh(`free -h | awk '/^Mem:/ {print $${col}}'`);
  return {
    quick,
    started: started.toISOString(),
    finished: finished.toISOString(),
    loadBefore,
    loads,
    loadAfter,
    rebuilt,
    machine: { nproc: sh("nproc"), cpu: cpus()[0]?.model || "unknown", memTotal: free(2), memUsed: free(3), memAvailable: free(7), uname: sh("uname -sr"), node: process.version },
    git: { head: sh("git rev-parse --short HEAD"), dirty: Boolean(sh("git status --porcelain -- pkg src | head -1")) },
    versions: Object.fromEntries(["jwtward", "jose", "fast-jwt", "jsonwebtoken", "jwt-decode", "miniflare", "workerd", "esbuild"].map((n) => [n, version(n)])),
    entries,
    sizes,
    cold: cold.map(({ samples, ...r }) => r),
    coldWorkerd: coldWorkerd.map(({ samples, ...r }) => r),
    node: { ...node, results: node.results.map(({ samples, ...r }) => r) },
    workerd: workerd.map(({ samples, ...r }) => r),
  };
}

// BENCH_RENDER=1 writes RESULTS.md again from the last run's bench/results.json (after editing
// bench/analysis.md), without measuring.
const data = process.env.BENCH_RENDER === "1" ? JSON.parse(readFileSync(RAW, "utf8")) : await measure();
if (process.env.BENCH_RENDER !== "1") writeFileSync(RAW, `${JSON.stringify(data, null, 1)}\n`);
const { sizes, cold, coldWorkerd, node, workerd, entries, loadBefore, loads, loadAfter, rebuilt, machine } = data;
const started = new Date(data.started);
const finished = new Date(data.finished);

const fmt = (v) => (v === undefined || Number.isNaN(v) ? "-" : v >= 10000 ? `${(v / 1000).toFixed(0)}k` : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v >= 10 ? v.toFixed(0) : v.toFixed(1));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
// Two decimals, three where two would show a tie as 1.00×.
const x = (r) => (!Number.isFinite(r) ? "-" : r.toFixed(2) === "1.00" ? `${r.toFixed(3)}×` : `${r.toFixed(2)}×`);
const get = (results, group, alg, lib) => results.find((r) => r.group === group && r.alg === alg && r.lib === lib)?.opsPerSec;
const ms = (rows, lib) => rows.find((r) => r.lib === lib);

function markdownTable(results, libs, groups, ratioTo) {
  const rows = [];
  const ratios = ratioTo ? [`${DEFAULT} / ${ratioTo}`, `${FULL} / ${ratioTo}`] : [];
  rows.push(`| | ${[...libs, ...ratios].join(" | ")} |`);
  rows.push(`|---|${[...libs, ...ratios].map(() => "---:").join("|")}|`);
  for (const group of groups) {
    for (const alg of [...new Set(results.filter((r) => r.group === group).map((r) => r.alg))]) {
      const cells = libs.map((l) => fmt(get(results, group, alg, l)));
      if (ratioTo) for (const l of [DEFAULT, FULL]) cells.push(x(get(results, group, alg, l) / get(results, group, alg, ratioTo)));
      rows.push(`| ${group} ${alg} | ${cells.join(" | ")} |`);
    }
  }
  return rows.join("\n");
}

// The targets of issue 11.
const targets = [];
const target = (what, measured, met) => targets.push([what, measured, met]);
target("default `.wasm` ≤ 120 KB gzip", `${kb(sizes.wasm.default.gzip)} gzip (${kb(sizes.wasm.default.raw)} raw)`, sizes.wasm.default.gzip <= 120 * 1024);
target(
  "browser bundle of `Verifier`, `Key`, `remoteKeySet` from `jwtward`, wasm included, ≤ 200 KB gzip",
  `${kb(sizes.bundle.default.gzip)} gzip (${kb(sizes.bundle.default.raw)} minified)`,
  sizes.bundle.default.gzip <= 200 * 1024,
);
target("`jwtward/decode` browser bundle ≤ 8 KB gzip", `${kb(sizes.bundle.decode.gzip)} gzip (${kb(sizes.bundle.decode.raw)} minified)`, sizes.bundle.decode.gzip <= 8 * 1024);
{
  const ours = ms(coldWorkerd, DEFAULT).ms;
  const jose = ms(coldWorkerd, "jose").ms;
  const full = ms(coldWorkerd, FULL).ms;
  target(
    "workerd cold start (fresh isolate: import, key, first verify) ≤ 2× jose's",
    `${ours.toFixed(1)} ms vs jose ${jose.toFixed(1)} ms (${x(ours / jose)}); ${FULL} ${full.toFixed(1)} ms (${x(full / jose)})`,
    ours <= 2 * jose,
  );
}
{
  const ours = ms(cold, DEFAULT).ms;
  const jose = ms(cold, "jose").ms;
  const full = ms(cold, FULL).ms;
  target("Node import + first verify ≤ jose's", `${ours.toFixed(1)} ms vs jose ${jose.toFixed(1)} ms (${x(ours / jose)}); ${FULL} ${full.toFixed(1)} ms`, ours <= jose);
}
for (const alg of ALGS) {
  const fj = get(node.results, "verify", alg, "fast-jwt");
  const ours = get(node.results, "verify", alg, DEFAULT);
  const full = get(node.results, "verify", alg, FULL);
  target(`Node verify ${alg} ≥ 1.0× fast-jwt`, `${fmt(ours)} vs ${fmt(fj)} (${x(ours / fj)}); ${FULL} ${fmt(full)} (${x(full / fj)})`, ours >= fj);
}
for (const alg of ALGS) {
  const jose = get(workerd, "verify", alg, "jose");
  for (const lib of [DEFAULT, FULL]) {
    const sync = get(workerd, "verify", alg, `${lib} verify`);
    const asyncOps = get(workerd, "verify", alg, `${lib} verifyAsync`);
    const best = Math.max(sync ?? 0, asyncOps ?? 0);
    const how = sync !== undefined && sync >= (asyncOps ?? 0) ? "verify" : "verifyAsync";
    target(`workerd ${alg}, ${lib}, best of verify/verifyAsync ≥ 1.0× jose`, `${fmt(best)} (${how}) vs ${fmt(jose)} (${x(best / jose)})`, best >= jose);
  }
}
for (const alg of ["HS256", "RS256", "ES256", "EdDSA"]) {
  const fj = get(node.results, "sign", alg, "fast-jwt");
  const ours = get(node.results, "sign", alg, DEFAULT);
  target(`Node sign ${alg} ≥ 0.9× fast-jwt`, `${fmt(ours)} vs ${fmt(fj)} (${x(ours / fj)})`, ours >= 0.9 * fj);
}

/** The workerd cold start taken apart: each part is the difference of two rows of the table. */
function workerdParts() {
  const w = (lib) => ms(coldWorkerd, lib)?.ms;
  const row = (name, lib) => {
    const floor = w("empty Worker");
    const wasm = w(`${lib}, .wasm alone`);
    const imp = w(`${lib}, import only`);
    const key = w(`${lib}, import + key`);
    const all = w(lib);
    return `| ${name} | ${floor.toFixed(1)} | ${wasm === undefined ? "-" : (wasm - floor).toFixed(1)} | ${(imp - (wasm ?? floor)).toFixed(1)} | ${key === undefined ? "-" : (key - imp).toFixed(1)} | ${(all - (key ?? imp)).toFixed(1)} | ${all.toFixed(1)} |`;
  };
  return `The workerd cold start in parts (ms, differences of the rows above; a negative or tiny part is within the noise):

| | new isolate (empty Worker) | .wasm compile | rest of the import (glue, API, instantiation) | key + verifier | first verification | total |
|---|---:|---:|---:|---:|---:|---:|
${row("`" + DEFAULT + "`", DEFAULT)}
${row("`" + FULL + "`", FULL)}
${row("jose", "jose")}`;
}

/** The Node cold start's import taken apart, from the rows timed alone. */
function nodeParts() {
  const n = (lib) => ms(cold, lib)?.ms;
  const all = n(DEFAULT);
  const glue = n("of which: jwtward's glue, by an ES import (Node lexes it for names)") ?? n("of which: jwtward's glue, imported as the entry does");
  const glueReq = n("of which: jwtward's glue, by require()");
  const api = n("of which: the API's modules (pkg/src/api.js)");
  const compile = n("of which: jwtward's .wasm compile");
  if ([all, glue, glueReq, api, compile].some((v) => v === undefined)) return "";
  return `The Node cold start of \`${DEFAULT}\` in parts (ms, each timed alone in a fresh process, so they overlap a little: each pays
Node's loader start-up): the core's glue by \`require()\`, as the entry loads it, ${glueReq.toFixed(1)} (the .wasm compile
alone ${compile.toFixed(1)}; the same glue by an ES import, which has Node lex it for export names, ${glue.toFixed(1)}), the API's
modules ${api.toFixed(1)}, the rest (the entry, the host, key, verifier, first verification) about ${(all - glueReq - api).toFixed(1)};
the whole ${all.toFixed(1)}, jose ${n("jose").toFixed(1)}, the baseline ${n("baseline (node:crypto by hand)").toFixed(1)}.`;
}

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const versions = ["jose", "fast-jwt", "jsonwebtoken", "jwt-decode", "miniflare", "workerd", "esbuild"].map((n) => `${n} ${data.versions[n]}`).join(", ");
const how = (v) => `${v.how}${v.slim ? " (slim core)" : " (full core)"}`;
const md = `# jwtward benchmark results

Generated by \`npm run bench\` (bench/run.mjs), ${started.toISOString().slice(0, 16).replace("T", " ")}–${finished.toISOString().slice(11, 16)} UTC.
Operations per second are medians of interleaved rounds; higher is better. Times are medians; lower is better.
In Node, synchronous cases are divided by the process's CPU time (\`process.cpuUsage\`), not the wall clock, so
that time spent waiting for a core on this shared machine is not counted (bench/measure.mjs); jose's
asynchronous cases, and everything in workerd (another process), are timed by the wall clock.${data.quick ? "\n\n**BENCH_QUICK run: too few rounds to be a record.**" : ""}

- Machine: \`nproc\` ${machine.nproc} (${machine.cpu}), memory ${machine.memTotal} (\`free -h\`: ${machine.memUsed} used, ${machine.memAvailable} available at the end); Node ${machine.node}; ${machine.uname}
- Load average (1 min): ${loadBefore[0].toFixed(2)} before, ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} during (mean ${mean(loads).toFixed(2)}, sampled every 10 s), ${loadAfter[0].toFixed(2)} after. The 2 cores were shared with other work (test suites of other engineers); rounds and samples are interleaved across libraries so the noise falls on every library alike, but ratios near 1.0× are within that noise.
- Versions: jwtward ${data.versions.jwtward} (this checkout, ${data.git.head}${data.git.dirty ? ", with uncommitted changes in pkg/ or src/ by the integration in progress" : ""}), ${versions}
- What was measured as \`${DEFAULT}\`: Node: ${how(entries.node.default)}; browser: ${how(entries.browser.default)}; workerd: ${how(entries.workerd.default)}.
  As \`${FULL}\`: Node: ${how(entries.node.full)}; browser: ${how(entries.browser.full)}; workerd: ${how(entries.workerd.full)}.
${rebuilt ? "- **A .wasm in pkg/dist was rebuilt while this ran: the tables mix two builds.**\n" : ""}- Tokens: header \`{alg, typ}\`, claims iss, aud, sub, iat, exp, jti, scope, signed by node:crypto; every verifier checks iss and aud. RSA keys 2048 bits.

## Targets (issue 11)

| target | measured | met |
|---|---|:-:|
${targets.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? "yes" : "**no**"} |`).join("\n")}

Each miss is explained in "Where the time and the bytes go" below.

## Size

gzip -9. The browser bundles are an app \`export { Verifier, Key, remoteKeySet } from "<entry>"\` bundled by
esbuild (\`--bundle --minify --format=esm --platform=browser\`), the .wasm inside as hex text, as the
browser entries carry it. \`jwtward/decode\` is measured the same way (its own benchmark: bench/decode-size.mjs, bench/DECODE_SIZE.md).

| | raw | gzip |
|---|---:|---:|
| \`${DEFAULT}\` .wasm (slim core: pkg/dist/slim/web/jwtward_core_bg.wasm) | ${sizes.wasm.default.raw.toLocaleString("en")} | ${sizes.wasm.default.gzip.toLocaleString("en")} |
| \`${FULL}\` .wasm (pkg/dist/web/jwtward_core_bg.wasm) | ${sizes.wasm.full.raw.toLocaleString("en")} | ${sizes.wasm.full.gzip.toLocaleString("en")} |
| browser bundle from \`${DEFAULT}\` (${sizes.bundle.default.core} core) | ${sizes.bundle.default.raw.toLocaleString("en")} | ${sizes.bundle.default.gzip.toLocaleString("en")} |
| browser bundle from \`${FULL}\` (${sizes.bundle.full.core} core) | ${sizes.bundle.full.raw.toLocaleString("en")} | ${sizes.bundle.full.gzip.toLocaleString("en")} |
| browser bundle of \`jwtward/decode\` (\`decode\`, \`decodeHeader\`) | ${sizes.bundle.decode.raw.toLocaleString("en")} | ${sizes.bundle.decode.gzip.toLocaleString("en")} |

A bundle carries its .wasm as hex text (decoded at import), which gzip compresses a little less well than
the bytes: the default core's .wasm is ${sizes.wasm.default.gzip.toLocaleString("en")} bytes gzip, ${(sizes.wasm.default.hexGzip ?? NaN).toLocaleString("en")} as hex (${x(sizes.wasm.default.hexGzip / sizes.wasm.default.gzip)}),
${sizes.wasm.default.base64Gzip.toLocaleString("en")} as base64 (${x(sizes.wasm.default.base64Gzip / sizes.wasm.default.gzip)}, as the entries carried it before); the
rest of the default bundle, the JavaScript, is about ${(sizes.bundle.default.gzip - (sizes.wasm.default.hexGzip ?? NaN)).toLocaleString("en")} bytes gzip.

## Cold start

**Node**: a fresh Node process per sample, from the script's first line to the end of the first ES256
verification (import, wasm compile and instantiation, key, verifier, one verify); median of ${data.quick ? 3 : 21}.
The \`.wasm compile\` rows are \`new WebAssembly.Module\` alone, part of the entry's import.

| | ms |
|---|---:|
${cold.map((c) => `| ${c.lib.replace("imported as the entry does", "by an ES import (Node lexes it for names)")} | ${c.ms.toFixed(1)} |`).join("\n")}

**workerd**: a fresh isolate per sample, started by workerd's Worker Loader inside one workerd
(bench/coldstart-workerd.mjs): create the isolate, load the bundle (workerd compiles its .wasm), run the
top level, then the first request: key, verifier, one ES256 verification (\`${DEFAULT}\`: \`verifyAsync\`,
WebCrypto; \`${FULL}\`: \`verify\`, all in wasm). Timed from outside the request; median of ${data.quick ? 3 : 21}.
The partial rows stop earlier, so the parts can be read off by difference.

| | ms | over the empty Worker |
|---|---:|---:|
${coldWorkerd.map((c) => `| ${c.lib} | ${c.ms.toFixed(1)} | ${c.lib === "empty Worker" ? "-" : `+${c.overEmpty.toFixed(1)}`} |`).join("\n")}

${workerdParts()}

${nodeParts()}

## Signing in Node

The same claims everywhere (iss, aud, sub, scope, iat, exp; no jti). \`${DEFAULT}\` signs through the
slim core with node:crypto as its host; \`${FULL}\` with node:crypto too where it has it.

${markdownTable(node.results, [DEFAULT, FULL, "fast-jwt", "jose", "jsonwebtoken"], ["sign"], "fast-jwt")}

Key generation (\`generateKeyPair(alg)\`, against node:crypto's \`generateKeyPairSync\`; RSA 2048 bits):

${markdownTable(node.results.filter((r) => KEYGEN_ALGS.includes(r.alg)), [DEFAULT, FULL, "node:crypto"], ["keygen"], "node:crypto")}

## Verification in Node (${machine.node}), one process

The \`cache\` columns are the verified-token caches (\`cache: { max: 1000 }\`, fast-jwt's \`cache: true\`),
measured on one token verified again and again. jose is asynchronous (WebCrypto), awaited one at a time.

${markdownTable(node.results, [DEFAULT, FULL, `${DEFAULT} cache`, "fast-jwt", "fast-jwt cache", "jose", "jsonwebtoken"], ["verify"], "fast-jwt")}

Decode (no verification):

${markdownTable(node.results, [DEFAULT, "fast-jwt", "jose", "jsonwebtoken", "jwt-decode"], ["decode"])}

${node.skipped.length ? `Not run: ${node.skipped.map((s) => s.replace(/\n/g, " ")).join("; ")}.` : ""}

## Verification in workerd (Miniflare ${data.versions.miniflare})

Both entries bundled through their \`workerd\` export condition into one Worker. \`verify\` is
synchronous; \`verifyAsync\` has RSA, ECDSA and Ed25519 signatures checked by WebCrypto. The default
entry's synchronous asymmetric \`verify\` throws in workerd by design (its core has no asymmetric
arithmetic), so those cells are empty. Each request runs n verifications, timed from outside
(workerd's clock stands still inside a request) minus an empty request.

${markdownTable(workerd, [`${DEFAULT} verify`, `${DEFAULT} verifyAsync`, `${FULL} verify`, `${FULL} verifyAsync`, "jose"], ["verify"])}

${existsSync(new URL("./analysis.md", import.meta.url)) ? readFileSync(new URL("./analysis.md", import.meta.url), "utf8") : ""}`;

writeFileSync(new URL("./RESULTS.md", import.meta.url), md);
console.log(table(node.results));
console.log(table(workerd));
for (const c of cold) console.log(`node cold start ${c.lib}: ${c.ms.toFixed(1)} ms`);
for (const c of coldWorkerd) console.log(`workerd cold start ${c.lib}: ${c.ms.toFixed(1)} ms (+${c.overEmpty.toFixed(1)})`);
console.log(JSON.stringify(sizes));
console.log(`load: before ${loadBefore[0]}, during ${Math.min(...loads)}-${Math.max(...loads)}, after ${loadAfter[0]}`);
console.log("\ntargets:");
for (const [t, m, ok] of targets) console.log(`${ok ? "met " : "MISS"}  ${t}: ${m}`);
console.log("\nwrote bench/RESULTS.md");
