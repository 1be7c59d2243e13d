// Key set documents in the shapes identity providers publish (issue 12): Auth0, Microsoft Entra
// (x5c, x5t and issuer members), AWS Cognito, Google (JWKS), Firebase (Google's { kid: certificate }
// document) and Keycloak (a signing key beside an "enc" RSA-OAEP key). Each loads locally
// (KeySet.fromJwks / KeySet.fromX509Map) and through remoteKeySet from a loopback HTTP server, and
// verifies a token for that provider, the kid choosing the key; the encryption key never verifies.
// The keys are made by fixtures/providers/make.mjs: the documents are shape-faithful, not real.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { readFileSync } from "node:fs";
import { KeySet, Verifier, remoteKeySet } from "jwtward";
import { b64u, NOW } from "./helpers.mjs";

const read = (name) => JSON.parse(readFileSync(new URL(`./fixtures/providers/${name}`, import.meta.url), "utf8"));

/** Each provider: its document, how a token of it looks, and how the document is loaded locally. */
const PROVIDERS = {
  auth0: { iss: "https://jwtward-test.us.auth0.com/", aud: "https://api.example.com", header: { typ: "JWT" } },
  entra: {
    iss: "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
    aud: "6e74172b-be56-4843-9ff4-e66a39bb12e3",
    header: { typ: "JWT" },
    // Entra also sends x5t, equal to the kid; header certificates are never used to find a key.
    withX5t: true,
  },
  cognito: { iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI", aud: "3n4b5urk1ft4fl3mg5e62d9ado", header: {} },
  google: { iss: "https://accounts.google.com", aud: "1234567890-abc.apps.googleusercontent.com", header: { typ: "JWT" } },
  firebase: { iss: "https://securetoken.google.com/jwtward-test", aud: "jwtward-test", header: { typ: "JWT" }, certificates: true },
  keycloak: { iss: "https://keycloak.example.com/realms/jwtward", aud: "account", header: { typ: "JWT" } },
};
for (const [name, p] of Object.entries(PROVIDERS)) {
  p.document = read(`${name}.json`);
  p.privateKeys = read(`${name}.keys.json`);
}

function token(provider, kid, payload = {}, privateKey = provider.privateKeys[kid]) {
  const header = { alg: "RS256", kid, ...provider.header, ...(provider.withX5t ? { x5t: kid } : {}) };
  const claims = { iss: provider.iss, aud: provider.aud, sub: "user-1", iat: NOW - 10, exp: NOW + 600, ...payload };
  const input = `${b64u(header)}.${b64u(claims)}`;
  return `${input}.${crypto.sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

const options = (p) => ({ algorithms: ["RS256"], issuer: p.iss, audience: p.aud, currentDate: NOW });
const local = (p) => (p.certificates ? KeySet.fromX509Map(p.document) : KeySet.fromJwks(p.document));
const signingKids = (p) => (p.certificates ? Object.keys(p.document) : p.document.keys.filter((k) => k.use !== "enc").map((k) => k.kid));

let server;
let base;
before(async () => {
  server = http.createServer((req, res) => {
    const name = req.url.slice(1).split("?")[0];
    const p = PROVIDERS[name];
    if (!p) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=3600" });
    res.end(JSON.stringify(p.document));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

for (const [name, p] of Object.entries(PROVIDERS)) {
  test(`${name}: the document loads and each of its keys verifies the tokens of its kid`, async () => {
    const kids = signingKids(p);
    assert.ok(kids.length >= 2, `${name} has a key to choose between`);
    const set = local(p);
    // Every signing key loads (Entra's and Keycloak's n/e agree with their x5c certificates);
    // Keycloak's RSA-OAEP key is skipped, an encryption algorithm being no JWS algorithm.
    assert.equal(set.size, kids.length, name);
    const remote = remoteKeySet(`${base}/${name}`);
    for (const keys of [set, remote]) {
      for (const kid of kids) {
        const verified = await new Verifier(keys, options(p)).verifyAsync(token(p, kid));
        assert.equal(verified.payload.sub, "user-1", `${name} ${kid}`);
        assert.equal(verified.header.kid, kid);
      }
      // The kid chooses the key: a token signed by one key and naming the other does not verify.
      const crossed = token(p, kids[0], {}, p.privateKeys[kids[1]]);
      await assert.rejects(new Verifier(keys, options(p)).verifyAsync(crossed), { code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
      await assert.rejects(new Verifier(keys, options(p)).verifyAsync(token(p, "unknown-kid", {}, p.privateKeys[kids[0]])), {
        code: "ERR_JWKS_NO_MATCHING_KEY",
      });
      // The issuer is still checked.
      await assert.rejects(new Verifier(keys, options(p)).verifyAsync(token(p, kids[0], { iss: "https://evil.example" })), {
        code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
      });
    }
    // Synchronous verification of the local set (Node has synchronous crypto in every entry).
    assert.equal(new Verifier(set, options(p)).verify(token(p, kids[1])).payload.sub, "user-1");
  });
}

test("keycloak: the encryption key beside the signing key never verifies", async () => {
  const p = PROVIDERS.keycloak;
  const enc = p.document.keys.find((k) => k.use === "enc");
  assert.equal(enc.alg, "RSA-OAEP");
  const forged = token(p, enc.kid); // signed with the encryption key's private key, naming it
  // As published (alg RSA-OAEP, use enc), and with its alg left out (only use "enc" says what it is for).
  const withoutAlg = { keys: p.document.keys.map((k) => (k.use === "enc" ? { ...k, alg: undefined } : k)) };
  const noAlgJson = JSON.parse(JSON.stringify(withoutAlg));
  for (const document of [p.document, noAlgJson]) {
    const set = KeySet.fromJwks(document);
    await assert.rejects(new Verifier(set, options(p)).verifyAsync(forged), { code: "ERR_JWKS_NO_MATCHING_KEY" });
    assert.throws(() => new Verifier(set, options(p)).verify(forged), { code: "ERR_JWKS_NO_MATCHING_KEY" });
  }
  const e = await new Verifier(KeySet.fromJwks(noAlgJson), options(p)).verifyAsync(forged).catch((err) => err);
  assert.match(e.message, /use "enc" cannot be used for signatures/);
  const remote = remoteKeySet(`${base}/keycloak`);
  await assert.rejects(new Verifier(remote, options(p)).verifyAsync(forged), { code: "ERR_JWKS_NO_MATCHING_KEY" });
  // Without a kid: two signing keys fit RS256, so the token cannot choose; with one signing key
  // beside the encryption key (Keycloak's default realm), that one verifies.
  const sigKid = signingKids(p)[0];
  const oneSigningKey = { keys: noAlgJson.keys.filter((k) => k.use === "enc" || k.kid === sigKid) };
  const noKid = (() => {
    const input = `${b64u({ alg: "RS256", typ: "JWT" })}.${b64u({ iss: p.iss, aud: p.aud, sub: "user-1", exp: NOW + 600 })}`;
    return `${input}.${crypto.sign("sha256", Buffer.from(input), p.privateKeys[sigKid]).toString("base64url")}`;
  })();
  await assert.rejects(new Verifier(KeySet.fromJwks(noAlgJson), options(p)).verifyAsync(noKid), { code: "ERR_JWKS_MULTIPLE_MATCHING_KEYS" });
  assert.equal((await new Verifier(KeySet.fromJwks(oneSigningKey), options(p)).verifyAsync(noKid)).payload.sub, "user-1");
});

test("entra: the issuer member of each key and the header's x5t are not used to choose or trust a key", async () => {
  const p = PROVIDERS.entra;
  for (const key of p.document.keys) assert.ok(key.issuer && key.x5c && key.x5t, "shape as Entra publishes it");
  const [first, second] = signingKids(p);
  // A token naming key 1 by x5t but key 2 by kid: the kid decides.
  const t = token({ ...p, withX5t: false, header: { typ: "JWT", x5t: first } }, second);
  assert.equal((await new Verifier(local(p), options(p)).verifyAsync(t)).payload.sub, "user-1");
});
