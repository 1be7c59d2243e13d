// The issuer server (as its own process) against hostile input on every route: bodies that are
// not JSON objects, wrongly typed and oversized fields, Unicode edges, wrong content types and
// methods, malformed request targets, header floods, long headers and URLs, and slow clients
// (slowloris). Every answer must be a 2xx-4xx within a bound, the process must never die, and
// a well-behaved client must still be served at the end.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { client, raw, serverProcess } from "./helpers.mjs";

const dir = mkdtempSync(join(tmpdir(), "jwtward-issuer-hostile-"));
// Short timeouts so slow clients are cut off within the test; a proxy header to poison.
const server = serverProcess({
  DATA_DIR: dir,
  HEADERS_TIMEOUT: "1s",
  REQUEST_TIMEOUT: "2s",
  TRUST_PROXY: "1",
  COOKIE_SECURE: "0",
  LOGIN_LIMIT_IP: "100000",
  LOGIN_LIMIT_ACCOUNT: "100000",
});
let base;
let call;
let tokens;
const USER = { email: "mallory@example.com", password: "a long enough password" };
const BOUND_MS = 5000; // no request may take longer

before(async () => {
  base = await server.ready;
  call = client(base);
  assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
  tokens = (await call("POST", "/auth/login", { body: USER })).body;
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ROUTES = [
  ["POST", "/auth/register"],
  ["POST", "/auth/login"],
  ["POST", "/auth/refresh"],
  ["POST", "/auth/logout"],
  ["GET", "/auth/me"],
  ["GET", "/.well-known/jwks.json"],
  ["GET", "/.well-known/openid-configuration"],
];

/** A request over fetch that must answer below 500 within BOUND_MS; returns its status. */
async function expect4xx(method, path, { body, headers = {}, what = "" } = {}) {
  const started = performance.now();
  let res;
  try {
    res = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(BOUND_MS) });
    await res.arrayBuffer();
  } catch (e) {
    // The server may refuse to read a body it already answered; a reset is not a 5xx or a hang.
    if (e.name === "TimeoutError") assert.fail(`${method} ${path} ${what}: no answer within ${BOUND_MS} ms`);
    return null;
  }
  assert.ok(res.status < 500, `${method} ${path} ${what}: ${res.status} after ${(performance.now() - started).toFixed(0)} ms`);
  return res.status;
}

async function rawBounded(text, what, opts = {}) {
  const r = await raw(base, text, { timeoutMs: BOUND_MS, ...opts });
  assert.ok(!r.timedOut, `${what}: the connection was held ${BOUND_MS} ms`);
  assert.ok(r.status === null || r.status < 500, `${what}: ${r.reply.slice(0, 80)}`);
  return r;
}

const JSON_HEADERS = { "content-type": "application/json" };

test("bodies that are not JSON objects, malformed or invalid UTF-8: 4xx on every route", async () => {
  const bodies = [
    "[]", '"x"', "1", "null", "true", "{", "{}}", '{"a":1,}', "\u0000", "\uFEFF{}",
    "[".repeat(8000) + "]".repeat(8000),
    `{"__proto__":{"admin":true},"email":"a@b.c","password":"xxxxxxxxx"}`,
    `{"constructor":{"prototype":{"x":1}}}`,
  ];
  for (const [method, path] of ROUTES) {
    for (const body of bodies) await expect4xx(method === "GET" ? "POST" : method, path, { body, headers: JSON_HEADERS, what: JSON.stringify(body.slice(0, 20)) });
    await expect4xx("POST", path, { body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: JSON_HEADERS, what: "invalid UTF-8" });
  }
});

test("wrongly typed, oversized and Unicode-edge fields", async () => {
  const values = [
    null, 0, -1, 1e308, true, [], {}, ["a@b.c"], { toString: "x" }, "", " ", "a".repeat(15_000),
    "\uD800", "\uDC00x", "x\uD800@example.com", "\u0000@example.com", "a\u202E@example.com", "\u212A@example.com",
    "😀😀😀@example.com", "a@b", "@", "a@@b.c", "\t@b.c",
  ];
  for (const [, path] of ROUTES.filter(([m]) => m === "POST")) {
    for (const v of values) {
      await expect4xx("POST", path, { body: JSON.stringify({ email: v, password: v, refresh_token: v }), headers: JSON_HEADERS, what: `field ${JSON.stringify(v)?.slice(0, 20)}` });
      await expect4xx("POST", path, { body: JSON.stringify({ email: USER.email, password: v }), headers: JSON_HEADERS, what: `password ${JSON.stringify(v)?.slice(0, 20)}` });
    }
  }
  // The account still logs in after all that (well under its limit).
  assert.equal((await call("POST", "/auth/login", { body: USER })).status, 200);
});

test("wrong content types, oversized bodies, chunked floods", async () => {
  for (const ct of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", ""]) {
    await expect4xx("POST", "/auth/login", { body: "email=a&password=b", headers: ct ? { "content-type": ct } : {}, what: ct });
  }
  // A declared 1 MiB body is refused before it is read.
  const big = `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${1 << 20}\r\nConnection: close\r\n\r\n`;
  const declared = await rawBounded(big + "{".repeat(1 << 20), "1 MiB body");
  assert.equal(declared.status, 413);
  // A chunked body that keeps coming: cut off at 16 KiB.
  const chunk = "x".repeat(4096);
  const chunked = `POST /auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
    `${(chunk.length).toString(16)}\r\n${chunk}\r\n`.repeat(64) + "0\r\n\r\n";
  const flood = await rawBounded(chunked, "chunked 256 KiB");
  assert.ok(flood.status === 413 || flood.status === 400 || flood.status === null, flood.reply.slice(0, 60));
});

test("methods and request targets", async () => {
  for (const [, path] of ROUTES) {
    for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]) await expect4xx(method, path, { what: method });
  }
  for (const target of ["//[", "//", "/%", "/%00", "/auth/me/..%2f", "*", "http://evil/auth/me", "/auth/me?" + "q=".repeat(2000), "/" + "a".repeat(8000), "/\u00ff"]) {
    await rawBounded(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, `target ${target.slice(0, 30)}`);
  }
  for (const line of ["FOO / HTTP/1.1", "GET", "GET / HTTP/9.9", "\u0000\u0001\u0002", "GET / HTTP/1.1\nHost: x", "POST /auth/login HTTP/1.1\r\nContent-Length: -1"]) {
    await rawBounded(`${line}\r\nHost: x\r\nConnection: close\r\n\r\n`, `request line ${JSON.stringify(line)}`);
  }
  // Conflicting framing (request smuggling shape): refused, never passed on.
  await rawBounded("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n", "CL+TE");
});

test("header floods and very long headers, Authorization abuse included", async () => {
  const many = Array.from({ length: 500 }, (_, i) => `X-H${i}: ${i}`).join("\r\n");
  await rawBounded(`GET /auth/me HTTP/1.1\r\nHost: x\r\n${many}\r\nConnection: close\r\n\r\n`, "500 headers");
  const long = await rawBounded(`GET /auth/me HTTP/1.1\r\nHost: x\r\nX-Long: ${"a".repeat(64 * 1024)}\r\nConnection: close\r\n\r\n`, "64 KiB header");
  assert.equal(long.status, 431);
  const authorizations = [
    `Bearer ${" ".repeat(15_000)}x`,
    `Bearer${" ".repeat(15_000)}`,
    " ".repeat(15_000),
    "Bearer " + "a.".repeat(5000),
    "Basic dXNlcjpwYXNz",
    "Bearer \u00ff\u00fe",
    `Bearer ${tokens.access_token}, Bearer ${tokens.access_token}`,
    `Bearer ${tokens.access_token.slice(0, -2)}`,
    `Bearer ${tokens.access_token.replace(/\./g, "..")}`,
  ];
  for (const a of authorizations) {
    const started = performance.now();
    await expect4xx("GET", "/auth/me", { headers: { authorization: a }, what: `authorization ${JSON.stringify(a.slice(0, 20))}` });
    assert.ok(performance.now() - started < 1000, "a long Authorization header is cheap");
  }
  await expect4xx("POST", "/auth/refresh", { headers: { cookie: Array.from({ length: 1500 }, (_, i) => `c${i}=${i}`).join("; ") }, what: "cookie flood" });
  await expect4xx("POST", "/auth/login", { body: JSON.stringify(USER), headers: { ...JSON_HEADERS, "x-forwarded-for": "not an ip, 1.2.3.4, " + "9".repeat(5000) }, what: "x-forwarded-for" });
  await expect4xx("POST", "/auth/refresh", { headers: { cookie: `refresh_token=${"\u00ff".repeat(100)}` }, what: "latin-1 cookie" });
});

test("slow clients: partial headers and stalled bodies are cut off by the server", async () => {
  /** Opens a connection, sends `head` then dribbles `tail` one byte every 200 ms; resolves ms until the server closes. */
  function slow(head, tail) {
    return new Promise((resolve) => {
      const started = performance.now();
      const socket = net.connect(Number(new URL(base).port), "127.0.0.1");
      let reply = "";
      let i = 0;
      const drip = setInterval(() => {
        if (i < tail.length && !socket.destroyed) socket.write(tail[i++]);
      }, 200);
      const giveUp = setTimeout(() => socket.destroy(), 10_000);
      socket.on("connect", () => socket.write(head));
      socket.on("data", (d) => (reply += d));
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(drip);
        clearTimeout(giveUp);
        resolve({ ms: performance.now() - started, reply });
      });
    });
  }
  const results = await Promise.all([
    // Headers that never end (slowloris): HEADERS_TIMEOUT 1 s, checked every second.
    slow("GET /auth/me HTTP/1.1\r\nHost: x\r\n", "X-a: b\r\n".repeat(100)),
    // A body that never completes: REQUEST_TIMEOUT 2 s.
    slow("POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n", "{".repeat(1000)),
    // A connection that sends nothing at all.
    slow("", ""),
  ]);
  for (const { ms, reply } of results) {
    assert.ok(ms < 6000, `a slow client held its connection ${ms.toFixed(0)} ms`);
    assert.ok(!/^HTTP\/1\.1 5/.test(reply), reply.slice(0, 40));
  }
  // Many idle connections at once do not stop others being served.
  const idle = Array.from({ length: 200 }, () => net.connect(Number(new URL(base).port), "127.0.0.1").on("error", () => {}));
  await sleep(100);
  assert.equal((await call("GET", "/.well-known/jwks.json")).status, 200);
  idle.forEach((s) => s.destroy());
});

test("tokens whose header or claims carry non-ASCII text still get an answer (a 401 with an ASCII challenge)", async () => {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const headers = [{ alg: "ES256", typ: "at+jwt", kid: "ü\u2028☃" }, { alg: "ES256", kid: "x", crit: ["☃"] }, { alg: "☃" }, { alg: "ES256", typ: "☃" }];
  for (const header of headers) {
    const token = `${b64(header)}.${b64({ iss: "☃", sub: "ü" })}.${Buffer.from("sig").toString("base64url")}`;
    const r = await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(BOUND_MS) });
    assert.equal(r.status, 401, JSON.stringify(header));
    assert.match(r.headers.get("www-authenticate"), /^[\x20-\x7e]+$/);
  }
});

test("after everything: the process is alive and serves a normal client", async () => {
  assert.equal((await call("GET", "/.well-known/jwks.json")).status, 200);
  const login = await call("POST", "/auth/login", { body: USER });
  assert.equal(login.status, 200);
  assert.equal((await call("GET", "/auth/me", { token: login.body.access_token })).status, 200);
  assert.equal((await call("POST", "/auth/refresh", { body: { refresh_token: login.body.refresh_token } })).status, 200);
});
