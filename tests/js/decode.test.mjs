// decode / decodeHeader: inspection without verification, and the malformed-token codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { decode, decodeHeader, JwtError } from "jwtward";
import { b64u, hmacToken, goodToken, throwsCode, NOW } from "./helpers.mjs";

test("decode returns header, payload and the base64url signature", () => {
  const t = goodToken({ n: 1.5, nested: { a: [1, 2] } }, { kid: "k1" });
  const d = decode(t);
  assert.deepEqual(d.header, { alg: "HS256", typ: "JWT", kid: "k1" });
  assert.equal(d.payload.sub, "user-1");
  assert.equal(d.payload.exp, NOW + 600);
  assert.deepEqual(d.payload.nested, { a: [1, 2] });
  assert.equal(d.payload.n, 1.5);
  assert.equal(d.signature, t.split(".")[2]);
  assert.deepEqual(decodeHeader(t), d.header);
});

test("decode does not check the signature, expiry or alg", () => {
  const t = hmacToken({ alg: "HS256" }, { exp: 1 }, "wrong-secret");
  assert.equal(decode(t).payload.exp, 1);
});

test("wrong number of segments is refused", () => {
  const [h, p, s] = goodToken().split(".");
  // An empty string is not a token at all (ERR_JWT_INVALID); the rest are malformed JWS structure.
  const cases = [[`${h}.${p}`, "ERR_JWS_INVALID"], [`${h}.${p}.${s}.${s}`, "ERR_JWS_INVALID"], [h, "ERR_JWS_INVALID"], ["", "ERR_JWT_INVALID"], ["..", "ERR_JWS_INVALID"], [`${h}..${s}`, "ERR_JWS_INVALID"]];
  for (const [t, code] of cases) {
    throwsCode(() => decode(t), code);
    throwsCode(() => decodeHeader(t), code);
  }
});

test("non-canonical base64url is refused: padding, '+', '/', whitespace", () => {
  const [h, p, s] = goodToken().split(".");
  const std = Buffer.from(JSON.stringify({ alg: "HS256", x: "??>>" })).toString("base64"); // contains '+' or '/'
  assert.match(std, /[+/]/);
  // A broken header or signature is a JWS error; a broken payload is a JWT error.
  const cases = [
    [`${h}=.${p}.${s}`, "ERR_JWS_INVALID"], [`${h}.${p}==.${s}`, "ERR_JWT_INVALID"], [`${std}.${p}.${s}`, "ERR_JWS_INVALID"],
    [` ${h}.${p}.${s}`, "ERR_JWS_INVALID"], [`${h}.${p} .${s}`, "ERR_JWT_INVALID"], [`${h}.\n${p}.${s}`, "ERR_JWT_INVALID"], [`${h}.${p}.${s}=`, "ERR_JWS_INVALID"],
  ];
  for (const [t, code] of cases) throwsCode(() => decode(t), code);
});

test("header and payload must be JSON objects", () => {
  for (const header of ["[]", "1", '"alg"', "null", "not json", '{"alg":"HS256"'])
    throwsCode(() => decode(`${b64u(header)}.${b64u({ sub: "a" })}.sig`), "ERR_JWS_INVALID");
  for (const payload of ["[]", "1", '"x"', "null", "not json", "{"])
    throwsCode(() => decode(`${b64u({ alg: "HS256" })}.${b64u(payload)}.sig`), "ERR_JWT_INVALID");
});

test("payload that is not a JSON object is ERR_JWT_INVALID", () => {
  throwsCode(() => decode(`${b64u({ alg: "HS256" })}.${b64u("[1,2]")}.sig`), "ERR_JWT_INVALID");
});

test("non-string tokens are a JwtError, not a crash", () => {
  for (const bad of [undefined, null, 42, {}, [], Buffer.from("a.b.c"), Symbol("t")]) {
    throwsCode(() => decode(bad), "ERR_JWT_INVALID");
    throwsCode(() => decodeHeader(bad), "ERR_JWT_INVALID");
  }
});

test("JwtError is a real Error subclass", () => {
  const e = throwsCode(() => decode("x"), "ERR_JWS_INVALID");
  assert.ok(e instanceof Error);
  assert.ok(e instanceof JwtError);
  assert.equal(typeof e.message, "string");
  assert.ok(e.message.length > 0);
  assert.match(String(e.stack), /JwtError/);
  const made = new JwtError("ERR_JWT_INVALID", "hand made", { claim: "exp", reason: "missing" });
  assert.deepEqual([made.name, made.code, made.message, made.claim, made.reason], ["JwtError", "ERR_JWT_INVALID", "hand made", "exp", "missing"]);
});

// Issue 13: decode and decodeHeader were capped at 16 KiB whatever limit the application uses;
// they now take `{ maxTokenSize }`, checked like the Verifier's.
test("decode and decodeHeader take maxTokenSize, validated like the Verifier's", () => {
  const t = goodToken({ pad: "x".repeat(300) });
  for (const fn of [decode, decodeHeader]) {
    assert.doesNotThrow(() => fn(t, {}));
    assert.doesNotThrow(() => fn(t, { maxTokenSize: t.length }));
    assert.doesNotThrow(() => fn(t, { maxTokenSize: undefined }));
    throwsCode(() => fn(t, { maxTokenSize: t.length - 1 }), "ERR_JWT_INVALID");
    throwsCode(() => fn(t, { maxTokenSize: 100 }), "ERR_JWT_INVALID");
    for (const bad of [{ maxTokenSize: 0 }, { maxTokenSize: -1 }, { maxTokenSize: 1.5 }, { maxTokenSize: "1000" }, { maxTokenSize: NaN }, { maxTokenSize: 2 ** 60 }, { maxtokensize: 100 }, null, "big", []]) {
      assert.throws(() => fn(t, bad), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE", JSON.stringify(bad));
    }
  }
  // The default stays 16 KiB.
  const big = goodToken({ pad: "x".repeat(17 * 1024) });
  throwsCode(() => decode(big), "ERR_JWT_INVALID");
  throwsCode(() => decodeHeader(big), "ERR_JWT_INVALID");
});

// Above 16 KiB the core must take the limit too: its decode/decodeHeader apply 16 KiB themselves.
// Runs once the core exports decodeWithLimit/decodeHeaderWithLimit(token, maxTokenSize).
const core = createRequire(import.meta.url)("../../pkg/dist/node/jwtward_core.js");
const coreTakesLimit = typeof core.decodeWithLimit === "function" && typeof core.decodeHeaderWithLimit === "function";
test("decode and decodeHeader above 16 KiB with a larger maxTokenSize", { skip: !coreTakesLimit && "the core has no decodeWithLimit yet" }, () => {
  const big = goodToken({ pad: "x".repeat(40 * 1024) }, { kid: "big" });
  assert.equal(decode(big, { maxTokenSize: 64 * 1024 }).payload.pad.length, 40 * 1024);
  assert.equal(decodeHeader(big, { maxTokenSize: 64 * 1024 }).kid, "big");
  throwsCode(() => decode(big, { maxTokenSize: 32 * 1024 }), "ERR_JWT_INVALID");
});
