// Build variants of the slim core side by side in Node, each composed as the default Node entry
// composes it (createApi over the Node bindings, node:crypto as the host), against fast-jwt:
// verification (HMAC in wasm; RSA/ECDSA/EdDSA by node:crypto around the core's JWT work) and
// HS256 signing. Variants are the directories bench/size-matrix.sh (or a hand-made
// wasm-bindgen --target nodejs) left in target/size-matrix/; pick them with VARIANTS=a,b.
// CPU-time clock, interleaved rounds, medians (bench/measure.mjs).
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { createVerifier, createSigner } from "fast-jwt";
import { fixtures, ISSUER, AUDIENCE } from "./fixtures.mjs";
import { run } from "./measure.mjs";
import { createApi } from "../pkg/src/api.js";

const require = createRequire(import.meta.url);
const { nodeRuntime } = require("../pkg/src/hosts/node-crypto.js");
const variants = (process.env.VARIANTS || "").split(",").filter(Boolean);
const algs = (process.env.BENCH_ALGS || "HS256,RS256,ES256,EdDSA").split(",");
const fx = fixtures(algs);
const claims = { sub: "user-1234567890", scope: "orders:read orders:write" };
const cases = [];
const add = (lib, what, fn) => cases.push({ lib, what, fn });
for (const v of variants) {
  const core = require(new URL(`../target/size-matrix/${v}/jwtward_core.js`, import.meta.url).pathname);
  const api = createApi(nodeRuntime(core, crypto));
  for (const alg of algs) {
    const f = fx[alg];
    const hs = alg.startsWith("HS");
    const verifier = new api.Verifier(hs ? api.Key.fromSecret(f.keys.secret) : api.Key.fromPem(f.publicPem), { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE });
    add(v, `verify ${alg}`, () => verifier.verify(f.token));
    if (hs) {
      const signer = new api.Signer(api.Key.fromSecret(f.keys.secret), { alg, issuer: ISSUER, audience: AUDIENCE, expiresIn: "1h", jti: false });
      add(v, `sign ${alg}`, () => signer.sign(claims));
    }
  }
}
for (const alg of algs) {
  const f = fx[alg];
  const hs = alg.startsWith("HS");
  const fj = createVerifier({ key: hs ? f.keys.secret : f.publicPem, algorithms: [alg], allowedIss: ISSUER, allowedAud: AUDIENCE, cache: false });
  add("fast-jwt", `verify ${alg}`, () => fj(f.token));
  if (hs) {
    const fjSign = createSigner({ key: f.keys.secret, algorithm: alg, iss: ISSUER, aud: AUDIENCE, expiresIn: 3600_000 });
    add("fast-jwt", `sign ${alg}`, () => fjSign(claims));
  }
}
await run(cases, { rounds: Number(process.env.BENCH_ROUNDS || 7), sliceMs: 150, clock: "cpu", onRound: (r, n) => process.stderr.write(`round ${r}/${n}\n`) });
const whats = [...new Set(cases.map((c) => c.what))];
const libs = [...variants, "fast-jwt"];
console.log(["", ...libs.map((l) => l), ...variants.map((v) => `${v}/fast-jwt`)].join("\t"));
for (const w of whats) {
  const ops = libs.map((l) => cases.find((c) => c.lib === l && c.what === w)?.opsPerSec ?? NaN);
  const fj = ops[ops.length - 1];
  console.log([w, ...ops.map((o) => Math.round(o)), ...ops.slice(0, -1).map((o) => (o / fj).toFixed(3))].join("\t"));
}
