// decode / decodeHeader: inspection without verification, and the malformed-token codes.
import { test } from "node:test";
import assert from "node:assert/strict";
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
