// The side-by-side benchmark in Node: jwtward's default entry (the slim core, node:crypto for
// signatures and key generation) and `jwtward/full` (everything in wasm but the signature checks)
// against jose 6, fast-jwt and jsonwebtoken (and jwt-decode for decoding, node:crypto's
// generateKeyPairSync for key generation), all in this one process, measured with
// bench/measure.mjs (interleaved rounds, medians). Every case is first checked to give the right
// answer, so a library that silently skips a check cannot look fast. Run directly for a quick
// table, or through scripts/bench.sh for the full report (bench/RESULTS.md).
import crypto from "node:crypto";
import * as jose from "jose";
import { createVerifier, createSigner, createDecoder } from "fast-jwt";
import jsonwebtoken from "jsonwebtoken";
import { jwtDecode } from "jwt-decode";
import { ALGS, AUDIENCE, ISSUER, fixtures } from "./fixtures.mjs";
import { run } from "./measure.mjs";
import { nodeApis } from "./entries.mjs";

/** Library names of the two jwtward variants in every table. */
export const DEFAULT = "jwtward";
export const FULL = "jwtward/full";
/** Algorithms whose key generation is measured (PS* and RS* generate the same RSA keys). */
export const KEYGEN_ALGS = ["RS256", "ES256", "ES384", "ES512", "EdDSA"];

function check(name, result) {
  const payload = result && (result.payload || result);
  if (!payload || payload.sub !== "user-1234567890" || payload.iss !== ISSUER) {
    throw new Error(`${name}: wrong result ${JSON.stringify(result)}`);
  }
}

function verifyCases(fx, jw, full) {
  const cases = [];
  for (const alg of Object.keys(fx)) {
    const f = fx[alg];
    const hs = alg.startsWith("HS");
    const opts = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
    const add = (lib, fn, isAsync = false) => cases.push({ group: "verify", alg, lib, fn, async: isAsync });
    const key = hs ? jw.Key.fromSecret(f.keys.secret) : jw.Key.fromPem(f.publicPem);
    add(DEFAULT, ((v) => () => v.verify(f.token))(new jw.Verifier(key, opts)));
    const cached = new jw.Verifier(key, { ...opts, cache: { max: 1000 } });
    add(`${DEFAULT} cache`, () => cached.verify(f.token));
    const fullKey = hs ? full.Key.fromSecret(f.keys.secret) : full.Key.fromPem(f.publicPem);
    add(FULL, ((v) => () => v.verify(f.token))(new full.Verifier(fullKey, opts)));
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

function signCases(fx, jw, full) {
  const cases = [];
  const claims = { sub: "user-1234567890", scope: "orders:read orders:write" };
  for (const alg of Object.keys(fx)) {
    const f = fx[alg];
    const hs = alg.startsWith("HS");
    const add = (lib, fn, isAsync = false) => cases.push({ group: "sign", alg, lib, fn, async: isAsync });
    // jti off everywhere: the peers add none by default, so all sign the same claims.
    for (const [lib, api] of [[DEFAULT, jw], [FULL, full]]) {
      const key = hs ? api.Key.fromSecret(f.keys.secret) : api.Key.fromPem(f.privatePem);
      const signer = new api.Signer(key, { alg, issuer: ISSUER, audience: AUDIENCE, expiresIn: "1h", jti: false });
      add(lib, () => signer.sign(claims));
    }
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

/** Key generation: jwtward's generateKeyPair against node:crypto's generateKeyPairSync. */
function keygenCases(algs, jw, full) {
  const native = {
    RS256: () => crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }),
    ES256: () => crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }),
    ES384: () => crypto.generateKeyPairSync("ec", { namedCurve: "P-384" }),
    ES512: () => crypto.generateKeyPairSync("ec", { namedCurve: "P-521" }),
    EdDSA: () => crypto.generateKeyPairSync("ed25519"),
  };
  const cases = [];
  for (const alg of KEYGEN_ALGS.filter((a) => algs.includes(a))) {
    const add = (lib, fn) => cases.push({ group: "keygen", alg, lib, fn });
    add(DEFAULT, () => jw.generateKeyPair(alg));
    add(FULL, () => full.generateKeyPair(alg));
    add("node:crypto", native[alg]);
  }
  return cases;
}

function decodeCases(token, jw) {
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
      if (c.group === "keygen" && !(r && r.privateKey && r.publicKey)) throw new Error("no key pair");
      out.push(c);
    } catch (e) {
      skipped.push(`${c.group} ${c.alg} ${c.lib}: ${e.message}`);
    }
  }
  return out;
}

/** Runs the Node benchmark; `groups` picks verify / sign / keygen / decode. */
export async function runNode({ algs = ALGS, groups = ["verify", "sign", "keygen", "decode"], rounds, sliceMs, clock = "wall", log = () => {} } = {}) {
  const fx = fixtures(algs);
  const apis = await nodeApis();
  const jw = apis.default.api;
  const full = apis.full.api;
  log(`Node: ${DEFAULT} = ${apis.default.how}; ${FULL} = ${apis.full.how}`);
  const skipped = [];
  let cases = [];
  if (groups.includes("verify")) cases.push(...verifyCases(fx, jw, full));
  if (groups.includes("sign")) cases.push(...signCases(fx, jw, full));
  if (groups.includes("keygen")) cases.push(...keygenCases(algs, jw, full));
  if (groups.includes("decode")) cases.push(...decodeCases(fx[algs[0]].token, jw));
  cases = await usable(cases, skipped);
  log(`${cases.length} cases, ${skipped.length} skipped`);
  await run(cases, { rounds, sliceMs, clock, onRound: (r, n) => log(`round ${r}/${n}`) });
  return {
    results: cases.map(({ group, alg, lib, opsPerSec, samples }) => ({ group, alg, lib, opsPerSec, samples })),
    skipped,
    how: { default: apis.default.how, full: apis.full.how },
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
  const clock = process.env.BENCH_CLOCK || "wall";
  const { results, skipped } = await runNode({ algs, groups, rounds, clock, log: (m) => process.stderr.write(`${m}\n`) });
  console.log(table(results));
  if (skipped.length) console.log(`skipped:\n  ${skipped.join("\n  ")}`);
}
