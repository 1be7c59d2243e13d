// Measures each wasm variant built by bench/size-matrix.sh: its size, how long V8 takes to
// compile it (part of every cold start), and the speed of the pure-wasm path (no host
// backend) for verification and signing, in interleaved rounds with medians.
import { createRequire } from "node:module";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fixtures, ISSUER, AUDIENCE } from "./fixtures.mjs";
import { run, median } from "./measure.mjs";
import { createApi } from "../pkg/src/api.js";

const require = createRequire(import.meta.url);
const dir = new URL("../target/size-matrix/", import.meta.url);
const only = process.env.VARIANTS ? process.env.VARIANTS.split(",") : null;
const variants = readdirSync(dir)
  .filter((n) => existsSync(new URL(`${n}/jwtward_core.js`, dir)))
  .filter((n) => !only || only.includes(n))
  .sort();
const algs = (process.env.BENCH_ALGS || "HS256,RS256,PS256,ES256,ES384,ES512,EdDSA").split(",");
const fx = fixtures(algs);

const cases = [];
const rows = {};
for (const v of variants) {
  const wasmFile = new URL(`${v}/jwtward_core_bg.wasm`, dir);
  const bytes = readFileSync(wasmFile);
  const compile = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    new WebAssembly.Module(bytes);
    compile.push(performance.now() - t0);
  }
  rows[v] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, compileMs: median(compile) };
  const api = createApi({ core: require(new URL(`${v}/jwtward_core.js`, dir).pathname) });
  for (const alg of algs) {
    const f = fx[alg];
    const hs = alg.startsWith("HS");
    const verifier = new api.Verifier(hs ? api.Key.fromSecret(f.keys.secret) : api.Key.fromPem(f.publicPem), { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE });
    cases.push({ variant: v, what: `verify ${alg}`, fn: () => verifier.verify(f.token) });
    if (alg === "ES256" || alg === "EdDSA") {
      const signer = new api.Signer(api.Key.fromPem(f.privatePem), { alg, jti: false });
      cases.push({ variant: v, what: `sign ${alg}`, fn: () => signer.sign({ sub: "u" }) });
    }
  }
}
await run(cases, { rounds: Number(process.env.BENCH_ROUNDS || 5), sliceMs: 150, onRound: (r, n) => process.stderr.write(`round ${r}/${n}\n`) });
const whats = [...new Set(cases.map((c) => c.what))];
console.log(["variant", "raw", "gzip", "compile ms", ...whats].join("\t"));
for (const v of variants) {
  const r = rows[v];
  const speeds = whats.map((w) => Math.round(cases.find((c) => c.variant === v && c.what === w).opsPerSec));
  console.log([v, r.raw, r.gzip, r.compileMs.toFixed(1), ...speeds].join("\t"));
}
