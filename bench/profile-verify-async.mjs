// The async verification loop of bench/workerd-overhead.mjs, in Node, for a profiler: the
// browser entry (slim web glue, WebCrypto) or jose, with crypto.subtle.verify stubbed to answer
// true, so a profile shows each library's own work around the signature. For example:
//   node --cpu-prof --cpu-prof-dir=bench/scratch/prof bench/profile-verify-async.mjs RS256 jwtward
//   node bench/cpuprofile-summary.mjs bench/scratch/prof
// (and `node bench/wasm-breakdown.mjs` to name what a wasm-function[i] is by its size and shape).
const m = await import(new URL("../pkg/index.browser.mjs", import.meta.url).href);
const jose = await import("jose");
const { fixtures, ISSUER, AUDIENCE } = await import("./fixtures.mjs");
const alg = process.argv[2] || "RS256";
const f = fixtures([alg])[alg];
const opts = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
const v = new m.Verifier(m.Key.fromJwk(f.publicJwk), opts);
const jk = await jose.importJWK(f.publicJwk, alg);
await v.verifyAsync(f.token); await jose.jwtVerify(f.token, jk, opts);
crypto.subtle.verify = async () => true;
const lib = process.argv[3] || "jwtward";
const fn = lib === "jose" ? () => jose.jwtVerify(f.token, jk, opts) : () => v.verifyAsync(f.token);
for (let i = 0; i < 20000; i++) await fn();
const n = 100000; const t0 = performance.now();
for (let i = 0; i < n; i++) await fn();
console.log(lib, alg, ((performance.now() - t0) * 1000 / n).toFixed(2), "us");
