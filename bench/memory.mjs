// Memory over a long run (a benchmark, not a test): 1,000,000 Verifier.verify calls over valid
// and invalid tokens of every key family, while Keys, KeySets and Verifiers are created and
// dropped every 1,000 calls, sampling memory every 100,000 calls after a full GC. The loop
// yields to the event loop every 1,000 calls, as a server does between requests, so the
// FinalizationRegistry that frees dropped wasm objects gets to run.
// Run: bash scripts/build.sh && node --expose-gc bench/memory.mjs > bench/MEMORY.md
import crypto from "node:crypto";
import { setImmediate as tick } from "node:timers/promises";
import { jwtward, wasmMemoryBytes, machine } from "./harness.mjs";

const { Key, KeySet, Verifier, Signer, generateKeyPair, verify } = jwtward;
const TOTAL = Number(process.env.CALLS ?? 1_000_000);
const SAMPLES = 10;
const CHURN_EVERY = 1_000;
const NOW = 1_763_900_000;
const MiB = 2 ** 20;

if (typeof globalThis.gc !== "function") {
  console.error("run with node --expose-gc: samples are taken after a full collection");
  process.exit(2);
}

// ---------------------------------------------------------------- keys and tokens
const secret = "memory-benchmark-secret-0123456789abcdef0123456789abcdef";
const hs = Key.fromSecret(secret, { kid: "hs" });
const es = generateKeyPair("ES256", { kid: "es" });
const ed = generateKeyPair("EdDSA", { kid: "ed" });
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsPrivate = Key.fromPem(rsa.privateKey.export({ type: "pkcs8", format: "pem" }), { alg: "RS256", kid: "rs" });
const rsPublicPem = rsa.publicKey.export({ type: "spki", format: "pem" });
const options = { algorithms: ["HS256", "ES256", "EdDSA", "RS256"], issuer: "https://id.example", audience: "api", currentDate: NOW };
const keySet = () => KeySet.of([hs, es.publicKey, ed.publicKey, Key.fromPem(rsPublicPem, { alg: "RS256", kid: "rs" })]);
const verifier = new Verifier(keySet(), options);

const signed = (key, alg, claims = {}, overrides = {}) =>
  new Signer(key, { alg, issuer: "https://id.example", audience: "api" }).sign({ sub: "user-1", ...claims }, { currentDate: NOW, ...overrides });
const tamper = (t) => `${t.slice(0, -4)}${t.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
const valid = { hs: signed(hs, "HS256"), es: signed(es.privateKey, "ES256"), ed: signed(ed.privateKey, "EdDSA"), rs: signed(rsPrivate, "RS256") };
const hsHeader = valid.hs.split(".")[0];
// One cycle of the mix: mostly HMAC, valid and invalid, and every asymmetric family.
const mix = [
  ...Array(6).fill(valid.hs),
  signed(hs, "HS256", {}, { currentDate: NOW - 3600 }), // expired
  new Signer(hs, { alg: "HS256", audience: "other" }).sign({}, { currentDate: NOW }), // wrong audience
  tamper(valid.hs),
  "a.b.c",
  `${Buffer.from('{"alg":"none"}').toString("base64url")}.${valid.hs.split(".")[1]}.`,
  `${hsHeader}.${"x".repeat(2000)}.AAAA`,
  valid.es,
  valid.es,
  tamper(valid.es),
  valid.ed,
  valid.ed,
  tamper(valid.ed),
  valid.rs,
  tamper(valid.rs),
];
const expectValid = mix.map((t) => Object.values(valid).includes(t));
const mixDescription = "per 20 calls: 6 valid, 1 expired, 1 wrong-audience, 1 tampered, 3 malformed HS256; 2 valid and 1 tampered ES256 and EdDSA; 1 valid and 1 tampered RS256";

// Creates and drops every kind of wasm-backed object, as configuration reloads and one-shot
// verify() calls do.
function churn(i) {
  const k1 = Key.fromSecret(`${secret}-${i}`);
  const k2 = Key.fromJwk(es.publicKey.toPublicJwk());
  const k3 = Key.fromPem(rsPublicPem);
  const set = KeySet.fromJwks({ keys: [k2.toPublicJwk(), k3.toPublicJwk(), ed.publicKey.toPublicJwk()] });
  const v = new Verifier(KeySet.of([k1, hs]), { algorithms: ["HS256"], currentDate: NOW });
  try {
    v.verify(valid.hs);
  } catch {
    // k1 and hs both fit HS256 without a kid match: an error, and that is fine here
  }
  new Verifier(set, options);
  verify(valid.ed, ed.publicKey.toPublicJwk(), { algorithms: ["EdDSA"], currentDate: NOW });
  generateKeyPair("EdDSA");
}

async function sample(calls) {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await tick();
  }
  const m = process.memoryUsage();
  return { calls, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss, wasm: wasmMemoryBytes() };
}

// ---------------------------------------------------------------- run
const samples = [await sample(0)];
let accepted = 0;
let refused = 0;
const start = process.hrtime.bigint();
for (let call = 1; call <= TOTAL; call++) {
  const i = call % mix.length;
  try {
    verifier.verify(mix[i]);
    accepted++;
    if (!expectValid[i]) throw new Error(`token ${i} of the mix was accepted`);
  } catch (e) {
    if (!(e instanceof jwtward.JwtError)) throw e;
    refused++;
    if (expectValid[i]) throw new Error(`valid token ${i} refused: ${e.code}`);
  }
  if (call % CHURN_EVERY === 0) {
    churn(call);
    await tick();
  }
  if (call % (TOTAL / SAMPLES) === 0) samples.push(await sample(call));
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

// ---------------------------------------------------------------- report
// After the first two samples (warm-up: caches, JIT, allocator pools), nothing may keep growing.
const LIMITS = { heapUsed: 2 * MiB, external: 1 * MiB, arrayBuffers: 1 * MiB, wasm: 1 * MiB };
const base = samples[2];
const last = samples[samples.length - 1];
const growth = Object.fromEntries(Object.keys(LIMITS).map((k) => [k, last[k] - base[k]]));
const over = Object.entries(LIMITS).filter(([k, limit]) => growth[k] > limit);
const mib = (b) => (b / MiB).toFixed(2);
const signed_ = (b) => `${b >= 0 ? "+" : ""}${mib(b)}`;

const out = [
  `# Memory over ${TOTAL.toLocaleString("en")} verifications`,
  "",
  `- Date: ${new Date().toISOString().slice(0, 10)}; machine: ${machine()}`,
  `- Command: \`node --expose-gc bench/memory.mjs\` (after \`bash scripts/build.sh\`); ${seconds.toFixed(0)} s`,
  `- Mix (${mixDescription}): ${accepted.toLocaleString("en")} accepted, ${refused.toLocaleString("en")} refused, each as expected`,
  `- Every ${CHURN_EVERY.toLocaleString("en")} calls: 3 Keys, 2 KeySets, 2 Verifiers, a one-shot verify() and a generated key pair created and dropped (${(TOTAL / CHURN_EVERY).toLocaleString("en")} times), then one event-loop turn`,
  "- Each sample after three full GCs with event-loop turns between them (so finalizers run). `wasm` is the module's linear memory, read from the instance (Node includes it in `external`, not in `arrayBuffers`). `rss` (resident pages, V8 code and allocator caches included) is shown, not judged.",
  "",
  "| calls | heapUsed MiB | external MiB | arrayBuffers MiB | rss MiB | wasm MiB |",
  "|---:|---:|---:|---:|---:|---:|",
  ...samples.map((s) => `| ${s.calls.toLocaleString("en")} | ${mib(s.heapUsed)} | ${mib(s.external)} | ${mib(s.arrayBuffers)} | ${mib(s.rss)} | ${mib(s.wasm)} |`),
  "",
  `From ${base.calls.toLocaleString("en")} to ${last.calls.toLocaleString("en")} calls: heapUsed ${signed_(growth.heapUsed)} MiB, external ${signed_(growth.external)} MiB, arrayBuffers ${signed_(growth.arrayBuffers)} MiB, wasm ${signed_(growth.wasm)} MiB (allowed: heap 2, others 1).`,
  "",
  over.length === 0
    ? "**Verdict: FLAT.** No measure grows after warm-up."
    : `**Verdict: GROWING** (${over.map(([k]) => k).join(", ")}).`,
];
console.log(out.join("\n"));
process.exitCode = over.length === 0 ? 0 : 1;
