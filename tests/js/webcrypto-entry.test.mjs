// The browser/workerd entries run in Node (whose WebCrypto stands in for the browser's):
// - jwtward/full's web entry: verifyAsync checks every asymmetric algorithm with WebCrypto in the
//   core's two passes and answers as the synchronous pure-wasm verify does;
// - the default web entry (the slim module): verifyAsync answers as jwtward/full's verify does,
//   signAsync and generateKeyPairAsync go through WebCrypto (tokens checked by node:crypto), and
//   the synchronous verify/sign/generateKeyPair refuse asymmetric keys with a TypeError naming the
//   async method and jwtward/full, while HMAC stays synchronous;
// - signAsync's second step is bound to its first (a signature for one request never completes
//   another, nor twice, nor a request of another signer; a malformed signature is refused).
// globalThis.JWTWARD_BACKEND = "wasm" forces the core.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { execFileSync } from "node:child_process";

const full = await import("../../pkg/full/index.browser.mjs");
const slim = await import("../../pkg/index.browser.mjs");
const web = full;
const NOW = Math.floor(Date.now() / 1000);
const b64u = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");

const CASES = [
  ["RS256", "rsa", { modulusLength: 2048 }],
  ["PS384", "rsa", { modulusLength: 2048 }],
  ["ES256", "ec", { namedCurve: "P-256" }],
  ["ES512", "ec", { namedCurve: "P-521" }],
  ["EdDSA", "ed25519", {}],
];

function sign(alg, privateKey, input) {
  const hash = alg === "EdDSA" ? null : `sha${alg.slice(2)}`;
  if (alg.startsWith("PS")) return crypto.sign(hash, Buffer.from(input), { key: privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
  if (alg.startsWith("ES")) return crypto.sign(hash, Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return crypto.sign(hash, Buffer.from(input), privateKey);
}

async function outcome(promiseOrFn) {
  try {
    const r = await promiseOrFn();
    return `ok:${r.payload.sub}`;
  } catch (e) {
    return e.code;
  }
}

for (const [alg, type, opts] of CASES) {
  test(`${alg}: the slim web entry's verifyAsync answers as jwtward/full's verify does; its verify is a TypeError`, async () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync(type, opts);
    const pem = publicKey.export({ type: "spki", format: "pem" });
    const v = new slim.Verifier(slim.Key.fromPem(pem), { algorithms: [alg], issuer: "i" });
    const reference = new full.Verifier(full.Key.fromPem(pem), { algorithms: [alg], issuer: "i" });
    const token = (payload) => {
      const input = `${b64u({ alg })}.${b64u({ iss: "i", sub: "u", ...payload })}`;
      return `${input}.${sign(alg, privateKey, input).toString("base64url")}`;
    };
    const good = token({ exp: NOW + 60 });
    const flipped = good.slice(0, -2) + (good.at(-2) === "A" ? "B" : "A") + good.at(-1);
    const truncated = good.slice(0, -4);
    for (const t of [good, flipped, truncated, token({ exp: NOW - 60 }), token({ iss: "j" }), "a.b.c"]) {
      assert.equal(await outcome(() => v.verifyAsync(t)), await outcome(() => reference.verify(t)), t.slice(0, 20));
    }
    assert.equal(await outcome(() => v.verifyAsync(good)), "ok:u");
    assert.throws(() => v.verify(good), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE" && /verifyAsync/.test(e.message) && /jwtward\/full/.test(e.message));
  });

  test(`${alg}: signAsync and generateKeyPairAsync on the slim web entry (WebCrypto), checked by node:crypto`, async () => {
    const { privateKey, publicKey } = await slim.generateKeyPairAsync(alg, { kid: "k1" });
    assert.equal(privateKey.alg, alg);
    assert.equal(publicKey.kid, "k1");
    assert.ok(privateKey.isPrivate && !publicKey.isPrivate);
    const signer = new slim.Signer(privateKey, { alg, issuer: "i" });
    const tokens = await Promise.all([signer.signAsync({ sub: "a" }), signer.signAsync({ sub: "b" }, { expiresIn: 60 })]);
    const nodeKey = crypto.createPublicKey({ key: publicKey.toPublicJwk(), format: "jwk" });
    for (const [t, sub] of [[tokens[0], "a"], [tokens[1], "b"]]) {
      const [h, p, s] = t.split(".");
      const hash = alg === "EdDSA" ? null : `sha${alg.slice(2)}`;
      const o = alg.startsWith("PS") ? { key: nodeKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 } : alg.startsWith("ES") ? { key: nodeKey, dsaEncoding: "ieee-p1363" } : nodeKey;
      assert.ok(crypto.verify(hash, Buffer.from(`${h}.${p}`), o, Buffer.from(s, "base64url")), `${alg}: node:crypto verifies the signature`);
      assert.deepEqual(JSON.parse(Buffer.from(h, "base64url")), { alg, typ: "JWT", kid: "k1" });
      // jwtward/full verifies it too, with the public JWK.
      assert.equal(full.verify(t, full.Key.fromJwk(publicKey.toPublicJwk()), { algorithms: [alg], issuer: "i" }).payload.sub, sub);
    }
    assert.throws(() => signer.sign({}), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE" && /signAsync/.test(e.message) && /jwtward\/full/.test(e.message));
    assert.throws(() => slim.generateKeyPair(alg), (e) => e instanceof TypeError && /generateKeyPairAsync/.test(e.message) && /jwtward\/full/.test(e.message));
    // A key from elsewhere (a PKCS#8 PEM with its public key, or a JWK) signs as well.
    const jwk = crypto.generateKeyPairSync(type, opts).privateKey.export({ format: "jwk" });
    const t = await new slim.Signer(slim.Key.fromJwk(jwk), { alg }).signAsync({ sub: "pem" });
    assert.equal(full.verify(t, full.Key.fromJwk(jwk), { algorithms: [alg] }).payload.sub, "pem");
  });

  test(`${alg}: jwtward/full's web verifyAsync through WebCrypto answers as verify does`, async () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync(type, opts);
    const v = new web.Verifier(web.Key.fromPem(publicKey.export({ type: "spki", format: "pem" })), { algorithms: [alg], issuer: "i" });
    const token = (payload) => {
      const input = `${b64u({ alg })}.${b64u({ iss: "i", sub: "u", ...payload })}`;
      return `${input}.${sign(alg, privateKey, input).toString("base64url")}`;
    };
    const good = token({ exp: NOW + 60 });
    const flipped = good.slice(0, -2) + (good.at(-2) === "A" ? "B" : "A") + good.at(-1);
    const expired = token({ exp: NOW - 60 });
    const wrongIssuer = token({ iss: "j" });
    for (const t of [good, flipped, expired, wrongIssuer, "a.b.c"]) {
      assert.equal(await outcome(() => v.verifyAsync(t)), await outcome(() => v.verify(t)), t.slice(0, 20));
    }
    assert.equal(await outcome(() => v.verifyAsync(good)), "ok:u");
    assert.equal(await outcome(() => v.verifyAsync(flipped)), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });
}

test("HS256 through the slim web entry stays synchronous, and signAsync signs it in the core", async () => {
  const key = slim.Key.fromSecret("a-long-enough-secret-for-the-web-entry-test-0123456789");
  const signer = new slim.Signer(key, { alg: "HS256" });
  for (const t of [signer.sign({ sub: "u" }), await signer.signAsync({ sub: "u" })]) {
    assert.equal(slim.verify(t, key, { algorithms: ["HS256"] }).payload.sub, "u");
  }
});

test("HS256 and a cached verifier through the web entry", async () => {
  const key = web.Key.fromSecret("a-long-enough-secret-for-the-web-entry-test-0123456789");
  const t = new web.Signer(key, { alg: "HS256" }).sign({ sub: "u" });
  const v = new web.Verifier(key, { algorithms: ["HS256"], cache: { max: 10 } });
  assert.equal((await v.verifyAsync(t)).payload.sub, "u");
  assert.equal((await v.verifyAsync(t)).payload.sub, "u");
  assert.equal(v.verify(t).payload.sub, "u");
});

test("a remote key set through the web entry: WebCrypto verifies, and a rotation is honoured", async () => {
  const a = web.generateKeyPair("ES256", { kid: "a" });
  const b = web.generateKeyPair("ES256", { kid: "b" });
  let jwks = { keys: [a.publicKey.toPublicJwk()] };
  const fetch = async () => new Response(JSON.stringify(jwks), { status: 200 });
  const keys = web.remoteKeySet("https://issuer.example/jwks", { fetch, cooldown: 0 });
  const v = new web.Verifier(keys, { algorithms: ["ES256"], cache: { max: 10 } });
  const tokenA = new web.Signer(a.privateKey, { alg: "ES256" }).sign({ sub: "a" });
  const tokenB = new web.Signer(b.privateKey, { alg: "ES256" }).sign({ sub: "b" });
  assert.equal(await outcome(() => v.verifyAsync(tokenA)), "ok:a");
  assert.equal(await outcome(() => v.verifyAsync(tokenA)), "ok:a");
  jwks = { keys: [b.publicKey.toPublicJwk()] };
  assert.equal(await outcome(() => v.verifyAsync(tokenB)), "ok:b"); // unknown kid: refetched
  assert.equal(await outcome(() => v.verifyAsync(tokenA)), "ERR_JWKS_NO_MATCHING_KEY");
});

test("JWTWARD_BACKEND on globalThis picks the web entry's backend, and a typo is refused", () => {
  const entry = new URL("../../pkg/index.browser.mjs", import.meta.url).href;
  const run = (value) =>
    execFileSync(process.execPath, ["--input-type=module", "-e", `globalThis.JWTWARD_BACKEND = ${JSON.stringify(value)}; const m = await import(${JSON.stringify(entry)}); console.log(typeof m.Verifier);`], {
      encoding: "utf8",
      stdio: "pipe",
    }).trim();
  assert.equal(run("wasm"), "function");
  assert.equal(run("webcrypto"), "function");
  assert.throws(() => run("subtle"), /JWTWARD_BACKEND must be/);
});

test("slim web entry: a private JWK whose public half is another key's never signs (WebCrypto's pair check)", async () => {
  for (const [type, opts, alg] of [["ed25519", {}, "EdDSA"], ["ec", { namedCurve: "P-256" }, "ES256"]]) {
    const a = crypto.generateKeyPairSync(type, opts).privateKey.export({ format: "jwk" });
    const b = crypto.generateKeyPairSync(type, opts).privateKey.export({ format: "jwk" });
    // The slim core without a synchronous host cannot tell (it has no curve arithmetic): the host does.
    const mixed = slim.Key.fromJwk({ ...a, x: b.x, ...(b.y ? { y: b.y } : {}) });
    const signer = new slim.Signer(mixed, { alg });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(signer.signAsync({}), (e) => e.code === "ERR_JOSE_NOT_SUPPORTED" && /WebCrypto could not sign/.test(e.message), `${alg} #${i}`);
    }
    // The same key with its own public half signs.
    assert.equal((await new slim.Signer(slim.Key.fromJwk(a), { alg }).signAsync({ sub: "ok" })).split(".").length, 3);
  }
});

test("slim web entry: a private key without its public half is refused with the forms that work", () => {
  const pem = crypto.generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" });
  assert.throws(() => slim.Key.fromPem(pem), (e) => e instanceof slim.JwtError && e.code === "ERR_JOSE_NOT_SUPPORTED" && /"x"/.test(e.message) && /jwtward\/full/.test(e.message));
  assert.equal(full.Key.fromPem(pem).kty, "OKP");
});
