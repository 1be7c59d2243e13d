// The side-by-side benchmark in Node: jwtward against jose 6, fast-jwt and jsonwebtoken (and
// jwt-decode for decoding), all in this one process, measured with bench/measure.mjs
// (interleaved rounds, medians). Every case is first checked to give the right answer, so a
// library that silently skips a check cannot look fast. Run directly for a quick table, or
// through scripts/bench.sh for the full report (bench/RESULTS.md).
import { createRequire } from "node:module";
import crypto from "node:crypto";
import * as jw from "jwtward";
import * as jose from "jose";
import { createVerifier, createSigner, createDecoder } from "fast-jwt";
import jsonwebtoken from "jsonwebtoken";
import { jwtDecode } from "jwt-decode";
import { ALGS, AUDIENCE, ISSUER, fixtures } from "./fixtures.mjs";
import { run } from "./measure.mjs";
import { createApi } from "../pkg/src/api.js";

const require = createRequire(import.meta.url);

/** A second copy of jwtward's core with no host backend: the pure-wasm path, for reference. */
function wasmOnlyApi() {
  const glue = require.resolve("../pkg/dist/node/jwtward_core.js");
  const saved = require.cache[glue];
  delete require.cache[glue];
  const core = require(glue);
  if (saved) require.cache[glue] = saved;
  else delete require.cache[glue];
  return createApi({ core });
}

function check(name, result) {
  const payload = result && (result.payload || result);
  if (!payload || payload.sub !== "user-1234567890" || payload.iss !== ISSUER) {
    throw new Error(`${name}: wrong result ${JSON.stringify(result)}`);
  }
}

function verifyCases(fx, wasmApi) {
  const cases = [];
  for (const alg of Object.keys(fx)) {
    const f = fx[alg];
    const hs = alg.startsWith("HS");
    const opts = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
    const add = (lib, fn, isAsync = false) => cases.push({ group: "verify", alg, lib, fn, async: isAsync });
    const key = hs ? jw.Key.fromSecret(f.keys.secret) : jw.Key.fromPem(f.publicPem);
    add("jwtward", ((v) => () => v.verify(f.token))(new jw.Verifier(key, opts)));
    try {
      const cached = new jw.Verifier(key, { ...opts, cache: { max: 1000 } });
      add("jwtward cache", () => cached.verify(f.token));
    } catch {}
    if (wasmApi) {
      const wkey = hs ? wasmApi.Key.fromSecret(f.keys.secret) : wasmApi.Key.fromPem(f.publicPem);
      const v = new wasmApi.Verifier(wkey, opts);
      add("jwtward wasm-only", () => v.verify(f.token));
    }
    // verifyAsync: the WebCrypto path where the runtime has one (in Node, the same as verify).
    const av = new jw.Verifier(key, opts);
    add("jwtward verifyAsync", () => av.verifyAsync(f.token), true);
    const fjKey = hs ? f.keys.secret : f.publicPem;
    const fjOpts = { key: fjKey, algorithms: [alg], allowedIss: ISSUER, allowedAud: AUDIENCE };
    add("fast-jwt", ((v) => () => v(f.token))(createVerifier({ ...fjOpts, cache: false })));
    add("fast-jwt cache", ((v) => () => v(f.token))(createVerifier({ ...fjOpts, cache: true })));
    const joseKey = hs ? new TextEncoder().encode(f.keys.secret) : f.keys.publicKey;
    add("jose", () => jose.jwtVerify(f.token, joseKey, opts), true);
    const jwtKey = hs ? f.keys.secret : f.keys.publicKey;
    add("jsonwebtoken", () => jsonwebtoken.verify(f.token, jwtKey, opts));
  }
  return cases;
}

function signCases(fx) {
  const cases = [];
  const claims = { sub: "user-1234567890", scope: "orders:read orders:write" };
  for (const alg of Object.keys(fx)) {
    const f = fx[alg];
    const hs = alg.startsWith("HS");
    const add = (lib, fn, isAsync = false) => cases.push({ group: "sign", alg, lib, fn, async: isAsync });
    const key = hs ? jw.Key.fromSecret(f.keys.secret) : jw.Key.fromPem(f.privatePem);
    // jti off everywhere: the peers add none by default, so all sign the same claims.
    const signer = new jw.Signer(key, { alg, issuer: ISSUER, audience: AUDIENCE, expiresIn: "1h", jti: false });
    add("jwtward", () => signer.sign(claims));
    const fjSign = createSigner({ key: hs ? f.keys.secret : f.privatePem, algorithm: alg, iss: ISSUER, aud: AUDIENCE, expiresIn: 3600_000 });
    add("fast-jwt", () => fjSign(claims));
    const joseKey = hs ? new TextEncoder().encode(f.keys.secret) : f.keys.privateKey;
    add(
      "jose",
      () => new jose.SignJWT(claims).setProtectedHeader({ alg }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime("1h").sign(joseKey),
      true,
    );
    const jwtKey = hs ? f.keys.secret : f.keys.privateKey;
    add("jsonwebtoken", () => jsonwebtoken.sign(claims, jwtKey, { algorithm: alg, issuer: ISSUER, audience: AUDIENCE, expiresIn: 3600 }));
  }
  return cases;
}

function decodeCases(token) {
  const fjDecode = createDecoder({ complete: true });
  return [
    { group: "decode", alg: "-", lib: "jwtward", fn: () => jw.decode(token) },
    { group: "decode", alg: "-", lib: "jwt-decode", fn: () => [jwtDecode(token, { header: true }), jwtDecode(token)] },
    { group: "decode", alg: "-", lib: "fast-jwt", fn: () => fjDecode(token) },
    { group: "decode", alg: "-", lib: "jose", fn: () => [jose.decodeProtectedHeader(token), jose.decodeJwt(token)] },
    { group: "decode", alg: "-", lib: "jsonwebtoken", fn: () => jsonwebtoken.decode(token, { complete: true }) },
  ];
}

/** Drops (and reports) the cases a library cannot run, e.g. an algorithm it lacks. */
async function usable(cases, skipped) {
  const out = [];
  for (const c of cases) {
    try {
      const r = await c.fn();
      if (c.group === "verify") check(`${c.lib} ${c.alg}`, r);
      if (c.group === "sign" && !(typeof r === "string" && r.split(".").length === 3)) throw new Error("no token");
      out.push(c);
    } catch (e) {
      skipped.push(`${c.group} ${c.alg} ${c.lib}: ${e.message}`);
    }
  }
  return out;
}

/** Runs the Node benchmark; `groups` picks verify / sign / decode. */
export async function runNode({ algs = ALGS, groups = ["verify", "sign", "decode"], rounds, sliceMs, log = () => {} } = {}) {
  const fx = fixtures(algs);
  let wasmApi = null;
  try {
    wasmApi = wasmOnlyApi();
  } catch (e) {
    log(`(no wasm-only copy: ${e.message})`);
  }
  const skipped = [];
  let cases = [];
  if (groups.includes("verify")) cases.push(...verifyCases(fx, wasmApi));
  if (groups.includes("sign")) cases.push(...signCases(fx));
  if (groups.includes("decode")) cases.push(...decodeCases(fx[algs[0]].token));
  cases = await usable(cases, skipped);
  log(`${cases.length} cases, ${skipped.length} skipped`);
  await run(cases, { rounds, sliceMs, onRound: (r, n) => log(`round ${r}/${n}`) });
  return {
    results: cases.map(({ group, alg, lib, opsPerSec, samples }) => ({ group, alg, lib, opsPerSec, samples })),
    skipped,
  };
}

/** A plain text table: one row per (group, alg), one column per library. */
export function table(results) {
  const libs = [...new Set(results.map((r) => r.lib))];
  const rows = [...new Set(results.map((r) => `${r.group} ${r.alg}`))];
  const fmt = (v) => (v === undefined ? "-" : v >= 10000 ? `${(v / 1000).toFixed(0)}k` : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0));
  const lines = [["", ...libs].join("\t")];
  for (const row of rows) {
    lines.push([row, ...libs.map((l) => fmt(results.find((r) => `${r.group} ${r.alg}` === row && r.lib === l)?.opsPerSec))].join("\t"));
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const algs = process.env.BENCH_ALGS ? process.env.BENCH_ALGS.split(",") : ALGS;
  const groups = process.env.BENCH_GROUPS ? process.env.BENCH_GROUPS.split(",") : undefined;
  const rounds = Number(process.env.BENCH_ROUNDS || 7);
  const { results, skipped } = await runNode({ algs, groups, rounds, log: (m) => process.stderr.write(`${m}\n`) });
  console.log(table(results));
  if (skipped.length) console.log(`skipped:\n  ${skipped.join("\n  ")}`);
}
