// Worst-case input of each kind against normal verifications (a benchmark, not a test), through
// the package as users call it. Attacker-controlled inputs (the token: its size, its JSON depth,
// a header that is parsed before the signature is checked, a key set searched without a kid) are
// compared with a normal verification of the same algorithm; inputs the operator or issuer
// controls (the key set, the key size, a PEM) are costs paid once per key, shown in the same unit.
// Run: bash scripts/build.sh && JWTWARD_BACKEND=wasm node bench/worst-case.mjs > bench/WORST_CASE.md
//      and node bench/worst-case.mjs > bench/WORST_CASE.node.md (Node's default backend)
import crypto from "node:crypto";
import { jwtward, machine, microsPerCall } from "./harness.mjs";

const { Key, KeySet, Verifier, Signer } = jwtward;
const NOW = 1_763_900_000;
const MAX_TOKEN = 16 * 1024;
const MAX_DEPTH = 32;
const MAX_JWKS_KEYS = 100;
const MAX_JWKS_SIZE = 256 * 1024;
const MAX_PEM = 16 * 1024;
const b64u = (s) => Buffer.from(s).toString("base64url");

// ---------------------------------------------------------------- keys and normal tokens
const secret = "worst-case-benchmark-secret-0123456789abcdef0123456789abcdef";
const hs = Key.fromSecret(secret);
const es = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = crypto.generateKeyPairSync("ed25519");
const rsa2048 = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsa4096 = crypto.generateKeyPairSync("rsa", { modulusLength: 4096 });
const pemOf = (k, type = "spki") => k.export({ type, format: "pem" });
const claims = { iss: "https://id.example", aud: "api", sub: "user-1", scope: "read write", roles: ["ops"] };
const options = (algorithms, extra = {}) => ({ algorithms, issuer: "https://id.example", audience: "api", currentDate: NOW, ...extra });

function nodeToken(alg, key, header, payload) {
  const input = `${b64u(JSON.stringify(header ?? { alg, typ: "JWT" }))}.${b64u(typeof payload === "string" ? payload : JSON.stringify(payload))}`;
  const hash = { HS256: "sha256", RS256: "sha256", ES256: "sha256", EdDSA: null }[alg];
  const sig =
    alg === "HS256"
      ? crypto.createHmac("sha256", secret).update(input).digest()
      : crypto.sign(hash, Buffer.from(input), alg === "ES256" ? { key, dsaEncoding: "ieee-p1363" } : key);
  return `${input}.${sig.toString("base64url")}`;
}
const normalPayload = { ...claims, iat: NOW - 10, exp: NOW + 600, jti: "5a0c6f1e-2f55-4b0e-9a3b-0c1d2e3f4a5b" };
const normal = {
  HS256: [new Verifier(hs, options(["HS256"])), nodeToken("HS256", null, null, normalPayload)],
  ES256: [new Verifier(Key.fromPem(pemOf(es.publicKey)), options(["ES256"])), nodeToken("ES256", es.privateKey, null, normalPayload)],
  EdDSA: [new Verifier(Key.fromPem(pemOf(ed.publicKey)), options(["EdDSA"])), nodeToken("EdDSA", ed.privateKey, null, normalPayload)],
  RS256: [new Verifier(Key.fromPem(pemOf(rsa2048.publicKey)), options(["RS256"])), nodeToken("RS256", rsa2048.privateKey, null, normalPayload)],
};
const baseline = {};
for (const [alg, [v, t]] of Object.entries(normal)) {
  v.verify(t);
  baseline[alg] = microsPerCall(() => v.verify(t), { batch: alg === "HS256" ? 500 : 50 });
}

// ---------------------------------------------------------------- worst inputs
/** The largest JSON text of `make(n)` that keeps the token within `limit` bytes. */
function largest(make, tokenOf, limit = MAX_TOKEN) {
  let lo = 1;
  let hi = 20_000;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (tokenOf(make(mid)).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  return tokenOf(make(lo));
}
const manyMembers = (n) => JSON.stringify({ ...claims, iat: NOW, exp: NOW + 600, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [i.toString(36), i])) });
const deepest = (n) => {
  const nest = `${"[".repeat(MAX_DEPTH - 1)}${"]".repeat(MAX_DEPTH - 1)}`; // 31 arrays inside the object: 32 levels
  return `{${Array.from({ length: n }, (_, i) => `"${i.toString(36)}":${nest}`).join(",")},"iss":"https://id.example","aud":"api","exp":${NOW + 600}}`;
};
const rows = [];
const row = (kind, input, alg, fn, expect, who = "attacker") => {
  const outcome = (() => {
    try {
      fn();
      return "accepted";
    } catch (e) {
      return e.code ?? e.name;
    }
  })();
  if (expect && outcome !== expect) throw new Error(`${kind} / ${input}: expected ${expect}, got ${outcome}`);
  const us = microsPerCall(fn, { batch: 20, rounds: 11 });
  rows.push({ kind, input, alg, us, outcome, who });
};

const [hsV] = normal.HS256;
const [rsV] = normal.RS256;
const bigValid = largest(manyMembers, (p) => nodeToken("HS256", null, null, p));
row("token size", `16 KiB token, ${bigValid.length} bytes, ~1,900 claims, valid`, "HS256", () => hsV.verify(bigValid), "accepted");
const bigRs = largest(manyMembers, (p) => nodeToken("RS256", rsa2048.privateKey, null, p));
row("token size", `16 KiB token, ${bigRs.length} bytes, valid`, "RS256", () => rsV.verify(bigRs), "accepted");
const forgedBig = `${bigValid.slice(0, bigValid.lastIndexOf(".") + 1)}${"A".repeat(43)}`;
row("token size", "16 KiB token, forged signature (payload never parsed)", "HS256", () => hsV.verify(forgedBig), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
row("token size", "16 KiB + 1 byte (refused before it enters wasm)", "HS256", () => hsV.verify(forgedBig.padEnd(MAX_TOKEN + 1, "A")), "ERR_JWT_INVALID");
const deepValid = largest(deepest, (p) => nodeToken("HS256", null, null, p));
row("JSON depth", `payload of 32-level nests filling 16 KiB (${deepValid.length} bytes), valid`, "HS256", () => hsV.verify(deepValid), "accepted");
const wideHeader = largest(
  (n) => JSON.stringify({ alg: "HS256", ...Object.fromEntries(Array.from({ length: n }, (_, i) => [i.toString(36), i])) }),
  (h) => `${b64u(h)}.${b64u("{}")}.${"A".repeat(43)}`,
);
row("header", "16 KiB header of ~1,900 members, forged signature (parsed before the signature)", "HS256", () => hsV.verify(wideHeader), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
const deepHeader = largest(
  (n) => deepest(n).replace("{", '{"alg":"HS256",'),
  (h) => `${b64u(h)}.${b64u("{}")}.${"A".repeat(43)}`,
);
row("JSON depth", "16 KiB header of 32-level nests, forged signature", "HS256", () => hsV.verify(deepHeader), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
const tooDeep = `${b64u(`{"alg":"HS256","x":${"[".repeat(12_000)}`)}.e30.${"A".repeat(43)}`.slice(0, MAX_TOKEN);
row("JSON depth", "header nested 12,000 deep (refused at level 33)", "HS256", () => hsV.verify(tooDeep), "ERR_JWS_INVALID");

// A key set of 100 keys and a token without kid: 99 EC keys that do not fit RS256 and the one RSA key.
const ecJwks = Array.from({ length: MAX_JWKS_KEYS - 1 }, () => crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }));
const manySet = KeySet.fromJwks({ keys: [...ecJwks, rsa2048.publicKey.export({ format: "jwk" })] });
const manyV = new Verifier(manySet, options(["RS256", "ES256"]));
const [, rsToken] = normal.RS256;
row("key set", "100 keys, token without kid, the one RSA key among 99 EC keys", "RS256", () => manyV.verify(rsToken), "accepted");
const allEcV = new Verifier(KeySet.fromJwks({ keys: ecJwks }), options(["ES256"]));
const [, esToken] = normal.ES256;
row("key set", "99 EC keys, token without kid (several fit: refused before any signature check)", "ES256", () => allEcV.verify(esToken), "ERR_JWKS_MULTIPLE_MATCHING_KEYS");
row("key set", "99 EC keys, kid that matches none", "ES256", () => allEcV.verify(nodeToken("ES256", es.privateKey, { alg: "ES256", kid: "x".repeat(5000) }, normalPayload)), "ERR_JWKS_NO_MATCHING_KEY");

// Keys: the largest modulus, and the largest public exponent the rsa crate allows (2^33 - 1).
const v4096 = new Verifier(Key.fromPem(pemOf(rsa4096.publicKey)), options(["RS256"]));
const t4096 = nodeToken("RS256", rsa4096.privateKey, null, normalPayload);
row("RSA modulus", "4096-bit key (the maximum), valid token", "RS256", () => v4096.verify(t4096), "accepted", "issuer");
const n4096 = Buffer.from(rsa4096.publicKey.export({ format: "jwk" }).n, "base64url");
const bigE = { kty: "RSA", n: n4096.toString("base64url"), e: Buffer.from([1, 0xff, 0xff, 0xff, 0xff]).toString("base64url") };
const vBigE = new Verifier(bigE, options(["RS256"]));
row("RSA modulus", "4096-bit key with e = 2^33 - 1, any signature (same work)", "RS256", () => vBigE.verify(t4096), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "issuer");

// The largest JWKS: 100 RSA keys of 4096 bits (random odd moduli: loading checks size, not
// primality), padded with x5c strings to the 256 KiB limit.
const rsaJwk = (i) => {
  const n = crypto.randomBytes(512);
  n[0] |= 0x80;
  n[511] |= 1;
  return { kty: "RSA", kid: `k${i}`, n: n.toString("base64url"), e: "AQAB" };
};
const bigJwks = { keys: Array.from({ length: MAX_JWKS_KEYS }, (_, i) => rsaJwk(i)) };
const padding = MAX_JWKS_SIZE - JSON.stringify(bigJwks).length - 200;
for (const k of bigJwks.keys) k.x5c = ["A".repeat(Math.floor(padding / MAX_JWKS_KEYS) - 20)];
const jwksText = JSON.stringify(bigJwks).length;
row("JWKS", `${MAX_JWKS_KEYS} RSA-4096 keys, ${(jwksText / 1024).toFixed(0)} KiB (KeySet.fromJwks, once per fetch)`, "RS256", () => KeySet.fromJwks(bigJwks), "accepted", "issuer");
const ecSet = { keys: ecJwks.concat(ecJwks.slice(0, 1)) };
row("JWKS", "100 EC P-256 keys (point validation each)", "ES256", () => KeySet.fromJwks(ecSet), "accepted", "issuer");
const bigPem = `${" ".repeat(MAX_PEM - pemOf(rsa4096.privateKey, "pkcs8").length)}${pemOf(rsa4096.privateKey, "pkcs8")}`;
row("PEM", `16 KiB PEM: a 4096-bit RSA private key (Key.fromPem, once)`, "RS256", () => Key.fromPem(bigPem), "accepted", "operator");
row("PEM", "16 KiB + 1 byte PEM (refused before decoding)", "RS256", () => Key.fromPem(` ${bigPem}`), "ERR_JWK_INVALID", "operator");

// ---------------------------------------------------------------- report
const fmt = (us) => (us >= 100 ? us.toFixed(0) : us.toFixed(1));
const out = [
  "# Worst-case inputs against normal verifications",
  "",
  `- Date: ${new Date().toISOString().slice(0, 10)}; machine: ${machine()}`,
  `- Command: \`${process.env.JWTWARD_BACKEND ? `JWTWARD_BACKEND=${process.env.JWTWARD_BACKEND} ` : ""}node bench/worst-case.mjs\` (after \`bash scripts/build.sh\`); each figure is the median of 11 rounds of 20 calls (500 or 50 for the baselines) through the package API, JSON.parse of the result included.`,
  `- Signatures: ${process.env.JWTWARD_BACKEND === "wasm" ? "all in wasm (\`JWTWARD_BACKEND=wasm\`), as synchronous \`verify\` runs in browsers and workerd" : "RSA, ECDSA and Ed25519 by node:crypto, Node's default; HMAC in wasm"}. The JWT work an attacker controls (size, depth, members, keys) is the same on both; only the normal verifications it is measured against differ.`,
  `- Normal verification: a ${normal.HS256[1].length}-byte token with the usual claims, one key, issuer and audience checked.`,
  "",
  "| normal verification | µs |",
  "|---|---:|",
  ...Object.entries(baseline).map(([alg, us]) => `| ${alg}${alg === "RS256" ? " (2048-bit key)" : ""} | ${fmt(us)} |`),
  "",
  "| kind | worst input | chosen by | outcome | µs | × normal of its alg |",
  "|---|---|---|---|---:|---:|",
  ...rows.map((r) => `| ${r.kind} | ${r.input} | ${r.who} | ${r.outcome} | ${fmt(r.us)} | ${(r.us / baseline[r.alg]).toFixed(1)} × ${r.alg} |`),
];
// What the worst token an attacker can send costs, in units of each normal verification, and
// per byte against the normal HS256 token (work is linear in size, so bytes are the fair unit).
const attacker = rows.filter((r) => r.who === "attacker");
const worst = attacker.reduce((a, b) => (b.us > a.us ? b : a));
const worstForged = attacker.filter((r) => r.outcome !== "accepted").reduce((a, b) => (b.us > a.us ? b : a));
const perByte = (us, bytes) => (us * 1000) / bytes;
const normalPerByte = perByte(baseline.HS256, normal.HS256[1].length);
const forgedPerByte = perByte(worstForged.us, MAX_TOKEN);
const attackerWorst = (alg) => (attacker.filter((r) => r.alg === alg).reduce((a, b) => (b.us > a.us ? b : a)).us / baseline[alg]).toFixed(1);
const ratioOf = (kind, text) => {
  const r = rows.find((x) => x.kind === kind && x.input.includes(text));
  return (r.us / baseline[r.alg]).toFixed(0);
};
const times = (us) => Object.entries(baseline).map(([alg, b]) => `${(us / b).toFixed(1)} × ${alg}`).join(", ");
out.push(
  "",
  "## Reading",
  "",
  `- The costliest token an attacker can send is "${worst.input}" (${worst.alg}): ${fmt(worst.us)} µs = ${times(worst.us)}. It needs a valid signature. Without one, the costliest is "${worstForged.input}": ${fmt(worstForged.us)} µs = ${times(worstForged.us)}.`,
  `- Work is linear in the token's length: the normal HS256 token costs ${normalPerByte.toFixed(0)} ns per byte, the worst forged 16 KiB token ${forgedPerByte.toFixed(0)} ns per byte (${(forgedPerByte / normalPerByte).toFixed(1)} ×). An attacker buys cost with bandwidth, at the normal rate; \`maxTokenSize\` bounds it.`,
  `- Against a normal verification of the same algorithm, the costliest valid 16 KiB token an attacker can sign costs ${attackerWorst("RS256")} × a normal RS256 verification and ${attackerWorst("HS256")} × a normal HS256 one (the first bullet gives it against every algorithm); the cheaper the normal verification (a single HMAC, or a signature checked natively), the more small tokens one 16 KiB token is worth. Deployments that only see small tokens can lower \`maxTokenSize\` (cost falls in proportion).`,
  `- Key-side costs are chosen by the issuer or operator and paid once per key or key set: the 4096-bit ceiling keeps one verification within ${ratioOf("RSA modulus", "4096-bit key (the maximum)")}-${ratioOf("RSA modulus", "e = 2^33")} × a 2048-bit one; the largest JWKS parses in the time of about ${ratioOf("JWKS", "RSA-4096")} RS256 verifications, once per fetch.`,
  "- Refused-for-size input (token, PEM, JWKS) costs almost nothing: the length is checked before any decoding, and for tokens and JWKS before the text enters wasm memory.",
);
console.log(out.join("\n"));
