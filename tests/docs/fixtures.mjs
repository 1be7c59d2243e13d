// The docs tests' fixtures, made fresh at every run: key pairs (RSA, P-256, Ed25519), an HMAC
// secret, a self-signed X.509 certificate for the RSA key (openssl), a token per block signed
// with jose (an independent signer), and a loopback HTTP server that stands in for every remote
// URL a block names (https://id.example/..., an identity provider's JWKS or discovery document).
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { SignJWT } from "jose";

export const ISSUER = "https://id.example";
export const AUDIENCE = "api";

/** `{ rsa, ec, ed, secret, certPem }`; each pair `{ kid, privateKey, publicKey, publicPem, privatePem, jwk }`. */
export function makeKeys(dir) {
  const pair = (kid, type, options, alg) => {
    const { privateKey, publicKey } = generateKeyPairSync(type, options);
    const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg, use: "sig" };
    return {
      kid, privateKey, publicKey, jwk,
      publicPem: publicKey.export({ type: "spki", format: "pem" }),
      privatePem: privateKey.export({ type: "pkcs8", format: "pem" }),
    };
  };
  const rsa = pair("rsa-1", "rsa", { modulusLength: 2048 }, "RS256");
  const ec = pair("ec-1", "ec", { namedCurve: "P-256" }, "ES256");
  const ed = pair("ed-1", "ed25519", {}, "EdDSA");
  // An X.509 certificate carrying the RSA public key, as Google publishes Firebase's keys.
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, "rsa-key.pem");
  writeFileSync(keyFile, rsa.privatePem, { mode: 0o600 });
  const certPem = execFileSync("openssl", ["req", "-x509", "-new", "-key", keyFile, "-subj", "/CN=jwtward docs", "-days", "2", "-sha256"], { encoding: "utf8" });
  const secret = randomBytes(48).toString("base64url"); // 64 characters: enough for HS512 too
  return { rsa, ec, ed, secret, certPem };
}

/** The key pair (or secret) that signs tokens of `alg`. */
export function pairFor(keys, alg) {
  if (alg.startsWith("HS")) return null;
  if (alg.startsWith("ES")) return keys.ec;
  if (alg === "EdDSA") return keys.ed;
  return keys.rsa;
}

/** A token for a block: its algorithm, its issuer and audience, valid at its pinned clock (or now). */
export async function tokenFor(keys, { alg, now, claims = {}, typ, kid }) {
  const at = now ?? Math.floor(Date.now() / 1000);
  const pair = pairFor(keys, alg);
  const body = {
    iss: ISSUER, aud: AUDIENCE, sub: "user-1", jti: randomUUID(), scope: "orders:read", roles: ["admin"], tenant: "acme",
    iat: at - 60, exp: Math.max(at, Math.floor(Date.now() / 1000)) + 3600, ...claims,
  };
  const header = { alg, kid: kid ?? (pair ? pair.kid : "hs-1"), ...(typ ? { typ } : {}) };
  const key = pair ? pair.privateKey : new TextEncoder().encode(keys.secret);
  return new SignJWT(body).setProtectedHeader(header).sign(key);
}

/**
 * The loopback server standing in for remote URLs. The fetch override (preamble.cjs) and the
 * Worker harness send every non-loopback request here, with the original origin in
 * `x-docs-origin`, so discovery documents name the issuer they were asked for:
 * - `.../.well-known/openid-configuration`, `/.well-known/oauth-authorization-server[/path]`: metadata
 *   whose `issuer` is the origin (and path) asked for and whose `jwks_uri` is its `/.well-known/jwks.json`;
 * - a path containing `x509` or `securetoken`: `{ kid: certificate }` (Google's format for Firebase);
 * - any other path containing `jwks`, `certs` or `keys`: the JWKS of the three public keys.
 * Returns `{ origin, requests, close() }`.
 */
export async function startKeyServer(keys) {
  const requests = [];
  const jwks = { keys: [keys.rsa.jwk, keys.ec.jwk, keys.ed.jwk] };
  const server = createServer((req, res) => {
    const origin = req.headers["x-docs-origin"] ?? `http://${req.headers.host}`;
    const path = new URL(req.url, "http://x").pathname;
    requests.push(origin + path);
    const json = (status, body) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "max-age=600" });
      res.end(JSON.stringify(body));
    };
    const oidc = /^(.*)\/\.well-known\/openid-configuration$/.exec(path);
    const oauth = /^\/\.well-known\/oauth-authorization-server(\/.*)?$/.exec(path);
    if (oidc || oauth) {
      const issuer = origin + (oidc ? oidc[1] : oauth[1] ?? "");
      return json(200, { issuer, jwks_uri: `${issuer}/.well-known/jwks.json`, id_token_signing_alg_values_supported: ["RS256", "ES256", "EdDSA"] });
    }
    if (/x509|securetoken/.test(path)) return json(200, { [keys.rsa.kid]: keys.certPem });
    if (/jwks|certs|keys/.test(path)) return json(200, jwks);
    json(404, { error: "not found", path });
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The plain values a block's preamble builds its fixtures from (JSON: strings and numbers). */
export async function valuesFor(keys, plan) {
  const pair = pairFor(keys, plan.alg);
  const token = await tokenFor(keys, plan);
  const bigToken = await tokenFor(keys, { ...plan, claims: { ...plan.claims, padding: "x".repeat(8000) } });
  return {
    alg: plan.alg,
    kid: pair ? pair.kid : "hs-1",
    token,
    bigToken,
    issuer: plan.claims.iss ?? ISSUER,
    audience: plan.claims.aud ?? AUDIENCE,
    secret: keys.secret,
    publicPem: (pair ?? keys.rsa).publicPem,
    privatePem: (pair ?? keys.rsa).privatePem,
    certPem: keys.certPem,
    jwk: (pair ?? keys.ec).jwk,
    jwks: { keys: [keys.rsa.jwk, keys.ec.jwk, keys.ed.jwk] },
    ecPublicPem: keys.ec.publicPem,
    edPublicPem: keys.ed.publicPem,
  };
}
