// `npm run bench` / scripts/bench.sh: every benchmark, one table, and bench/RESULTS.md with the
// machine, the versions, the date and each target of the performance issue (met, or the
// measured figure). bench/analysis.md, written by hand from the profiles, is appended: it says
// why a missed target is missed and what would close it.
// BENCH_QUICK=1 runs fewer rounds (a smoke run, not for the record).
import { execSync } from "node:child_process";
import { cpus } from "node:os";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { runNode, table } from "./node.mjs";
import { runWorkerd } from "./workerd.mjs";
import { runColdStart } from "./coldstart.mjs";
import { ALGS } from "./fixtures.mjs";

const require = createRequire(import.meta.url);
const quick = process.env.BENCH_QUICK === "1";
const log = (m) => process.stderr.write(`${m}\n`);
const load = () => execSync("cat /proc/loadavg").toString().split(" ").slice(0, 3).join(" ");
const version = (name) => {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  } catch {
    return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), "utf8")).version;
  }
};

const loadBefore = load();
const started = new Date();
log(`load before: ${loadBefore}`);
const node = await runNode({ rounds: quick ? 2 : 9, sliceMs: quick ? 60 : 150, log });
const workerd = await runWorkerd({ rounds: quick ? 2 : 7, log });
const cold = runColdStart({ samples: quick ? 3 : 21, log });
const loadAfter = load();
const wasm = readFileSync(new URL("../pkg/dist/web/jwtward_core_bg.wasm", import.meta.url));
const size = { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };

const fmt = (v) => (v === undefined ? "-" : v >= 10000 ? `${(v / 1000).toFixed(0)}k` : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0));
const get = (results, group, alg, lib) => results.find((r) => r.group === group && r.alg === alg && r.lib === lib)?.opsPerSec;

function markdownTable(results, libs, groups) {
  const rows = [];
  rows.push(`| | ${libs.join(" | ")} |`);
  rows.push(`|---|${libs.map(() => "---:").join("|")}|`);
  for (const group of groups) {
    for (const alg of [...new Set(results.filter((r) => r.group === group).map((r) => r.alg))]) {
      rows.push(`| ${group} ${alg} | ${libs.map((l) => fmt(get(results, group, alg, l))).join(" | ")} |`);
    }
  }
  return rows.join("\n");
}

// The targets of the performance issue.
const targets = [];
const ratio = (a, b) => (a && b ? a / b : NaN);
for (const alg of ALGS) {
  const ours = get(node.results, "verify", alg, "jwtward");
  const peers = ["fast-jwt", "jose", "jsonwebtoken"].map((l) => [l, get(node.results, "verify", alg, l)]).filter(([, v]) => v);
  const [bestLib, best] = peers.sort((a, b) => b[1] - a[1])[0];
  const need = alg === "HS256" ? Math.max(1, (2 * get(node.results, "verify", alg, "fast-jwt")) / best) : 1;
  const r = ratio(ours, best);
  targets.push([`Node verify ${alg} ≥ ${need > 1 ? "2× fast-jwt" : "1.0× fastest non-caching peer"}`, `${fmt(ours)} vs ${bestLib} ${fmt(best)} (${r.toFixed(2)}×)`, r >= need]);
}
for (const alg of ALGS) {
  const ours = get(node.results, "verify", alg, "jwtward cache");
  const theirs = get(node.results, "verify", alg, "fast-jwt cache");
  targets.push([`Node cache ${alg} ≥ fast-jwt cache`, `${fmt(ours)} vs ${fmt(theirs)} (${ratio(ours, theirs).toFixed(2)}×)`, ours >= theirs]);
}
for (const alg of ALGS) {
  const ours = Math.max(get(workerd, "verify", alg, "jwtward verifyAsync"), get(workerd, "verify", alg, "jwtward verify"));
  const jose = get(workerd, "verify", alg, "jose");
  targets.push([`workerd ${alg} ≥ 1.0× jose`, `${fmt(ours)} vs ${fmt(jose)} (${ratio(ours, jose).toFixed(2)}×)`, ours >= jose]);
}
const rsWasm = get(workerd, "verify", "RS256", "jwtward verify");
targets.push(["pure-wasm verify RS256 ≥ 4k/s (workerd)", fmt(rsWasm), rsWasm >= 4000]);
const rsWasmNode = get(node.results, "verify", "RS256", "jwtward wasm-only");
targets.push(["pure-wasm verify RS256 ≥ 4k/s (Node, wasm backend)", fmt(rsWasmNode), rsWasmNode >= 4000]);
targets.push(["wasm ≤ 150 KB gzip", `${(size.gzip / 1024).toFixed(0)} KB gzip (${(size.raw / 1024).toFixed(0)} KB raw)`, size.gzip <= 150 * 1024]);
const coldOurs = cold.find((c) => c.lib === "jwtward");
targets.push(["cold start Node ≤ 5 ms", `${coldOurs.ms.toFixed(1)} ms`, coldOurs.ms <= 5]);
const coldWorkerd = cold.find((c) => c.lib === "jwtward as in workerd");
targets.push(["cold start workerd ≤ 5 ms (instantiate + first verify)", `${coldWorkerd.afterCompileMs.toFixed(1)} ms (+ compile: ${coldWorkerd.ms.toFixed(1)} ms in all)`, coldWorkerd.afterCompileMs <= 5]);

const nodeLibs = ["jwtward", "jwtward cache", "jwtward wasm-only", "fast-jwt", "fast-jwt cache", "jose", "jsonwebtoken"];
const cpu = cpus()[0]?.model || "unknown";
const versions = ["jose", "fast-jwt", "jsonwebtoken", "jwt-decode", "miniflare", "workerd", "esbuild"].map((n) => `${n} ${version(n)}`).join(", ");
const md = `# jwtward benchmark results

Generated by \`npm run bench\` (bench/run.mjs) on ${started.toISOString().slice(0, 10)}.
Operations per second (median of interleaved rounds); higher is better.${quick ? "\n\n**BENCH_QUICK run: too few rounds to be a record.**" : ""}

- Machine: ${cpus().length} cores (\`nproc\` ${execSync("nproc").toString().trim()}), ${cpu}; Node ${process.version}
- Load average (1/5/15 min): ${loadBefore} before, ${loadAfter} after (other engineers build on the same cores; rounds are interleaved so the noise falls on every library alike)
- Versions: jwtward ${version("jwtward")} (this checkout), ${versions}
- Tokens: header \`{alg, typ}\`, claims iss, aud, sub, iat, exp, jti, scope, signed by node:crypto; every verifier checks iss and aud. RSA keys 2048 bits.

## Targets

| target | measured | met |
|---|---|:-:|
${targets.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? "yes" : "**no**"} |`).join("\n")}

## Node (${process.version}), one process

\`jwtward\` is the default Node path (signatures by node:crypto, every other check in the wasm core);
\`jwtward wasm-only\` is the same package with no host backend (what \`JWTWARD_BACKEND=wasm\` selects);
the \`cache\` columns are the verified-token caches (\`cache: { max: 1000 }\`, fast-jwt's \`cache: true\`),
measured on one token verified again and again. jose is asynchronous (WebCrypto), awaited one at a time.

${markdownTable(node.results, nodeLibs, ["verify"])}

Sign (no jti anywhere, so every library signs the same claims) and decode (no verification):

${markdownTable(node.results, ["jwtward", "fast-jwt", "jose", "jsonwebtoken", "jwt-decode"], ["sign", "decode"])}

${node.skipped.length ? `Not run: ${node.skipped.map((s) => s.replace(/\n/g, " ")).join("; ")}.` : ""}

## workerd (Miniflare ${version("miniflare")}), the package's \`workerd\` entry

\`verify\` is synchronous, all in wasm; \`verifyAsync\` has RSA, ECDSA and Ed25519 signatures checked by
WebCrypto (HMAC stays in wasm). Each request runs n verifications, timed from outside (workerd's clock
stands still inside a request) minus an empty request.

${markdownTable(workerd, ["jwtward verify", "jwtward verifyAsync", "jwtward cache", "jose"], ["verify"])}

## Cold start

A fresh Node process per sample, from the script's first line to the end of the first ES256
verification (import, wasm compile and instantiate, key, verifier, one verify); median of ${quick ? 3 : 21}.

| | ms |
|---|---:|
${cold.map((c) => `| ${c.lib} | ${c.ms.toFixed(1)}${c.afterCompileMs === undefined ? "" : ` (instantiate + first verify ${c.afterCompileMs.toFixed(1)})`} |`).join("\n")}

## Size

\`pkg/dist/web/jwtward_core_bg.wasm\` (every algorithm, signing and key generation included): ${size.raw.toLocaleString("en")} bytes raw, ${size.gzip.toLocaleString("en")} bytes gzip -9.

${existsSync(new URL("./analysis.md", import.meta.url)) ? readFileSync(new URL("./analysis.md", import.meta.url), "utf8") : ""}`;

writeFileSync(new URL("./RESULTS.md", import.meta.url), md);
console.log(table(node.results));
console.log(table(workerd));
for (const c of cold) console.log(`cold start ${c.lib}: ${c.ms.toFixed(1)} ms`);
console.log(`wasm: ${size.raw} bytes, ${size.gzip} gzip`);
console.log("\ntargets:");
for (const [t, m, ok] of targets) console.log(`${ok ? "met " : "MISS"}  ${t}: ${m}`);
console.log("\nwrote bench/RESULTS.md");
