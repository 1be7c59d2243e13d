// Backend selection in Node: node:crypto by default, the pure-wasm core with
// JWTWARD_BACKEND=wasm, and a misspelt value refused at import (never silently ignored). Each
// case runs in a child process, since the backend is chosen once, when the package loads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

const SCRIPT = `
const crypto = require("node:crypto");
const { Key, Verifier } = require("jwtward");
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
  const good = v.verify(token).payload.sub === "u";
  const flipped = token.slice(0, -2) + (token.at(-2) === "A" ? "B" : "A") + token.at(-1);
  let bad;
  try { v.verify(flipped); bad = "accepted"; } catch (e) { bad = e.code; }
  out.push(alg + ":" + good + ":" + bad);
}
console.log(out.join(","));
`;

function run(env) {
  return execFileSync(process.execPath, ["-e", SCRIPT], { env: { ...process.env, ...env }, encoding: "utf8", stdio: "pipe" }).trim();
}

const EXPECTED = ["RS256", "PS256", "ES256", "EdDSA"].map((a) => `${a}:true:ERR_JWS_SIGNATURE_VERIFICATION_FAILED`).join(",");

test("default backend (node:crypto) verifies and refuses", () => {
  assert.equal(run({ JWTWARD_BACKEND: "" }), EXPECTED);
});

test("JWTWARD_BACKEND=wasm forces the pure-wasm core, with the same answers", () => {
  assert.equal(run({ JWTWARD_BACKEND: "wasm" }), EXPECTED);
});

test("an unknown JWTWARD_BACKEND is refused when the package loads", () => {
  assert.throws(() => run({ JWTWARD_BACKEND: "openssl" }), /JWTWARD_BACKEND must be/);
});
