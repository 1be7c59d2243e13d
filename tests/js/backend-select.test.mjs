// Backend selection in Node, for both entries: node:crypto by default; JWTWARD_BACKEND=wasm
// leaves jwtward/full to its pure-wasm core (same answers) and the slim default without any
// asymmetric crypto (it says what to use instead); a misspelt value is refused at import (never
// silently ignored). Each case runs in a child process, since the backend is chosen once, when
// the package loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

const script = (entry) => `
const crypto = require("node:crypto");
const { Key, Verifier } = require(${JSON.stringify(entry)});
const b64u = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const out = [];
for (const [alg, type, opts, sign] of [
  ["RS256", "rsa", { modulusLength: 2048 }, (k, d) => crypto.sign("sha256", d, k)],
  ["PS256", "rsa", { modulusLength: 2048 }, (k, d) => crypto.sign("sha256", d, { key: k, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })],
  ["ES256", "ec", { namedCurve: "P-256" }, (k, d) => crypto.sign("sha256", d, { key: k, dsaEncoding: "ieee-p1363" })],
  ["EdDSA", "ed25519", {}, (k, d) => crypto.sign(null, d, k)],
]) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync(type, opts);
  const input = b64u({ alg }) + "." + b64u({ sub: "u", exp: now + 60 });
  const token = input + "." + sign(privateKey, Buffer.from(input)).toString("base64url");
  const v = new Verifier(Key.fromPem(publicKey.export({ type: "spki", format: "pem" })), { algorithms: [alg] });
  let good;
  try { good = v.verify(token).payload.sub === "u"; } catch (e) { good = e.code; }
  const flipped = token.slice(0, -2) + (token.at(-2) === "A" ? "B" : "A") + token.at(-1);
  let bad;
  try { v.verify(flipped); bad = "accepted"; } catch (e) { bad = e.code; }
  out.push(alg + ":" + good + ":" + bad);
}
console.log(out.join(","));
`;

function run(env, entry = "jwtward") {
  return execFileSync(process.execPath, ["-e", script(entry)], { env: { ...process.env, ...env }, encoding: "utf8", stdio: "pipe" }).trim();
}

const EXPECTED = ["RS256", "PS256", "ES256", "EdDSA"].map((a) => `${a}:true:ERR_JWS_SIGNATURE_VERIFICATION_FAILED`).join(",");

for (const entry of ["jwtward", "jwtward/full"]) {
  test(`${entry}: default backend (node:crypto) verifies and refuses`, () => {
    assert.equal(run({ JWTWARD_BACKEND: "" }, entry), EXPECTED);
  });

  test(`${entry}: an unknown JWTWARD_BACKEND is refused when the package loads`, () => {
    assert.throws(() => run({ JWTWARD_BACKEND: "openssl" }, entry), /JWTWARD_BACKEND must be/);
  });
}

test("jwtward/full: JWTWARD_BACKEND=wasm forces the pure-wasm core, with the same answers", () => {
  assert.equal(run({ JWTWARD_BACKEND: "wasm" }, "jwtward/full"), EXPECTED);
});

test("jwtward: JWTWARD_BACKEND=wasm leaves the slim core without asymmetric crypto, and it says so", () => {
  const refused = ["RS256", "PS256", "ES256", "EdDSA"].map((a) => `${a}:ERR_JOSE_NOT_SUPPORTED:ERR_JOSE_NOT_SUPPORTED`).join(",");
  assert.equal(run({ JWTWARD_BACKEND: "wasm" }), refused);
  const message = execFileSync(process.execPath, ["-e", `
    const { Key, generateKeyPair } = require("jwtward");
    try { generateKeyPair("ES256"); } catch (e) { console.log(e.message); }`], { env: { ...process.env, JWTWARD_BACKEND: "wasm" }, encoding: "utf8" });
  assert.match(message, /jwtward\/full/);
});
