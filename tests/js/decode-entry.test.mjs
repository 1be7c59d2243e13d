// jwtward/decode (plain JavaScript) against the main entry's decode (the Rust core in wasm): the
// same outcome for every input — the same values (deepStrictEqual) or the same error class, code
// and message. Inputs: every token-like string in the test vectors and tests, hand-written edge
// cases at each rule's boundary, and a seeded property test of random and mutated tokens. Also the
// size budget of the entry's browser bundle (a size, not a timing).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { inspect, promisify } from "node:util";
import { execFile } from "node:child_process";
import * as core from "jwtward";
import * as entry from "jwtward/decode";
import { measureDecodeBundle, DECODE_BUDGET_GZIP } from "../../bench/decode-size.mjs";

const ROOT = new URL("../../", import.meta.url);
const MAX = 16 * 1024;
/** DECODE_SCALE > 1 runs the long searches longer (the property test) and wider (4-character JSON texts). */
const SCALE = Number(process.env.DECODE_SCALE ?? 1);
const b64u = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const bytes64 = (b) => Buffer.from(b).toString("base64url");
const token = (header, payload, signature = "c2ln") => `${b64u(header)}.${b64u(payload)}.${signature}`;

/** What a call did: its value, or its error's class, name, code and message. */
function outcome(fn, ...args) {
  try {
    return { value: fn(...args) };
  } catch (e) {
    return { error: { type: e instanceof TypeError ? "TypeError" : e?.name === "JwtError" ? "JwtError" : String(e?.name), name: e?.name, code: e?.code, message: e?.message } };
  }
}

const show = (t) => (typeof t === "string" && t.length > 300 ? `${JSON.stringify(t.slice(0, 300))}… (${t.length} chars)` : typeof t === "string" ? JSON.stringify(t) : String(t));

/** Asserts both entries agree on `decode` and `decodeHeader` of `t`; returns the core's decode outcome. */
function agree(t, context = "") {
  const expected = outcome(core.decode, t);
  assert.deepStrictEqual(outcome(entry.decode, t), expected, `decode(${show(t)}) ${context}`);
  assert.deepStrictEqual(outcome(entry.decodeHeader, t), outcome(core.decodeHeader, t), `decodeHeader(${show(t)}) ${context}`);
  return expected;
}

// ---------------------------------------------------------------- inputs from the test suite

/** Every string of a parsed JSON document, and `protected.payload.signature` of each flattened JWS in it. */
function jsonStrings(value, out) {
  if (typeof value === "string") out.add(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value !== null && typeof value === "object") {
    if (typeof value.payload === "string") {
      const signatures = Array.isArray(value.signatures) ? value.signatures : [value];
      for (const s of signatures) if (typeof s.protected === "string") out.add(`${s.protected}.${value.payload}.${s.signature ?? ""}`);
    }
    for (const v of Object.values(value)) jsonStrings(v, out);
  }
}

async function filesUnder(dir, pattern) {
  const entries = await readdir(new URL(dir, ROOT), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && pattern.test(e.name)).map((e) => new URL(`${e.parentPath ?? e.path}/${e.name}`, "file:///"));
}

/** The token-like inputs found in the vectors (jose-cookbook, RFC 7515) and in the JS and Rust tests. */
async function suiteInputs() {
  const found = new Set();
  for (const file of [...(await filesUnder("tests/vectors/jose-cookbook/", /\.json$/)), ...(await filesUnder("tests/vectors/rfc7515/", /\.json$/))]) {
    jsonStrings(JSON.parse(await readFile(file, "utf8")), found);
  }
  const sources = [...(await filesUnder("tests/js/", /\.(c|m)?js$/)), ...(await filesUnder("tests/", /^[^/]*\.rs$/)), ...(await filesUnder("tests/common/", /\.rs$/))];
  for (const file of sources) {
    const text = await readFile(file, "utf8");
    for (const m of text.matchAll(/[A-Za-z0-9_\-+/=]*\.[A-Za-z0-9_\-+/=]*\.[A-Za-z0-9_\-+/=]*/g)) found.add(m[0]);
  }
  return [...found].filter((s) => s.includes("."));
}

test("every token-like input of the test suite and vectors: same outcome as the core", async () => {
  const inputs = await suiteInputs();
  let accepted = 0;
  for (const t of inputs) if ("value" in agree(t)) accepted++;
  assert.ok(inputs.length > 200 && accepted >= 8, `only ${inputs.length} inputs, ${accepted} accepted`);
});

// ---------------------------------------------------------------- hand-written edge cases

const nest = (open, close, n, inner = "1") => open.repeat(n) + inner + close.repeat(n);
const objects = (n, inner = "1") => '{"a":'.repeat(n) + inner + "}".repeat(n);
const halfway = (2n ** 1024n - 2n ** 970n).toString(); // rounds to infinity (ties to even)
const below = (2n ** 1024n - 2n ** 970n - 1n).toString(); // the largest double

/** JSON texts at each rule's boundary, placed as header and as payload. */
const JSON_TEXTS = [
  // objects, whitespace, trailing data, top-level type
  "{}", " {} ", "\t{\n}\r\n", '{"a":1}', "", " ", "null", "1", '"x"', "[]", "[1]", "tru", "{", "}", "{}}", "{} x", "{}\n\n  x", "{}\u00a0", "\f{}",
  "\ufeff{}", '{"a":1,}', "{,}", '{"a" 1}', '{"a":}', "{1:2}", "{a:1}", "{'a':1}", '{"a":1 "b":2}', '{"a"', '{"a":', '{"a":1', '{"a":1,', '{"a":1,"b"',
  '{"a":[1,]}', '{"a":[1 2]}', '{"a":[', '{"a":[1,', '{"a":[,1]}', '{"a":[1]]}', '{"a":nul}', '{"a":nulll}', '{"a":true1}', '{"a":falsy}', '{"a":NaN}', '{"a":Infinity}',
  '{\n"a":1,\n  "b":x\n}', '{"é":1, "b":x}', '{"a":é}', "{\"a\":\"\u2028\"}",
  // numbers
  ...["0", "-0", "1E5", "2.5E-3", "1e308", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e309", "1e400", "-1e400",
    "0e99999999999", "0.0e99999999999", "1e2147483647", "1e2147483648", "1e99999999999", "1e-2147483649", "1e-99999999999", "0.000001e2147483647",
    "18446744073709551615", "18446744073709551616", "18446744073709551615.5", "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890e300",
    "12345678901234567890123e99999999999", halfway, below, `${halfway}.0`, `${below}.9`, `${below}.4999e0`, "4.9e-324", "1e-400", "01", "-01", "00", "-", "-a", "1.", "1.e5", "1e", "1e+", "1e+x",
    "1ex", ".5", "+1", "0x10", "1.5.2", "1e5e5", "--1", "- 1", "1 2"].map((n) => `{"n":${n}}`),
  // strings and escapes
  ...['"\\ud800"', '"\\udc00"', '"\\ud800\\udc00"', '"\\uD83D\\uDE00"', '"\\uDBFF\\uDFFF"', '"\\ud800\\u0041"', '"\\ud800\\ud800"', '"\\ud800x"', '"\\ud800\\n"', '"\\ud800\\', '"\\ud800',
    '"\\u12"', '"\\u12g4"', '"\\u00e9\\u00C9"', '"\\x"', '"\\', '"\\a"', '"\\/\\b\\f\\n\\r\\t\\"\\\\"', '"a\tb"', '"\u0000"', '"\u001f"', '"\u007f"', '"é😀\u0301"', '"abc'].map((s) => `{"s":${s}}`),
  // duplicates, escaped names, __proto__
  '{"a":1,"a":2}', '{"a":1,"a":2 }', '{"a":1,"a":2,"b":3}', '{"a":1,"a":2]', '{"a":1,"\\u0061":2}', '{"a":{"b":1,"b":1}}', '{"a":[{"x":1,"x":1}]}',
  `{${Array.from({ length: 40 }, (_, k) => `"m${k}":${k},`).join("")}"m7":0}`, `{${Array.from({ length: 40 }, (_, k) => `"m${k}":${k},`).join("")}"end":0}`,
  '{"__proto__":{"polluted":1}}', '{"__proto__":1,"__proto__":2}', '{"constructor":{"prototype":{}}}', '{"a\\nb\\t\\"q\\"\\\\":1,"a\\nb\\t\\"q\\"\\\\":2}',
  '{"\\u0000\\u0007\\u001b\\u007f":1,"\\u0000\\u0007\\u001b\\u007f":2}', '{"e\u0301 \u200d \u200e \u00ad \ue000 \u0378 \u2028 \u3000 \ud83d\ude00":1,"e\u0301 \u200d \u200e \u00ad \ue000 \u0378 \u2028 \u3000 \ud83d\ude00":2}',
  `{"${"é".repeat(45)}":1,"${"é".repeat(45)}":2}`, `{"${"x".repeat(39)}😀😀":1,"${"x".repeat(39)}😀😀":2}`, '{"x at line 1 column 2":1,"x at line 1 column 2":2}', '{"":1,"":2}',
  '{\n"a":1,\n"a":2\n}',
  // depth: containers at depth 31, 32 and 33, empty or not
  `{"a":${nest("[", "]", 31)}}`, `{"a":${nest("[", "]", 32)}}`, `{"a":${nest("[", "]", 33)}}`, `{"a":${nest("[", "]", 31, "[]")}}`, `{"a":${nest("[", "]", 31, "[ ]")}}`,
  `{"a":${nest("[", "]", 31, "[ , ]")}}`, `{"a":${nest("[", "]", 31, "[ ,1]")}}`, `{"a":${nest("[", "]", 31, "[ x")}}`, `{"a":${nest("[", "]", 31, "{}")}}`, `{"a":${nest("[", "]", 31, '{"k":1}')}}`,
  `{"a":${nest("[", "]", 31, '{"k" }')}}`, `{"a":${nest("[", "]", 31, '{"k" ,')}}`, `{"a":${nest("[", "]", 31, '{"k"}')}}`, objects(32), objects(33), objects(34), objects(32, "{}"), objects(32, "[]"), objects(31, "[]"),
  nest("[", "]", 31, "{}"), nest("[", "]", 33, "{}"), `{"a":${nest("[", "]", 40)}}`, `{"a":${nest("[", "]", 200)}}`, `{"a":${"[".repeat(200)}`,
];

/** Decoded segment bytes that are not UTF-8, or are at its edges. */
const SEGMENT_BYTES = [
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d], // 0xff
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d], // overlong '/'
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], // an encoded surrogate
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d], // truncated sequence
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xf4, 0x90, 0x80, 0x80, 0x22, 0x7d], // above U+10FFFF
  [0xef, 0xbb, 0xbf, 0x7b, 0x7d], // BOM
  [0x7b, 0x7d, 0x00], // NUL after the object
  [],
];

test("hand-written edge cases of each rule: same outcome as the core", () => {
  const ok = b64u({ alg: "HS256" });
  const cases = [];
  for (const text of JSON_TEXTS) cases.push(`${b64u(text)}.${ok}.c2ln`, `${ok}.${b64u(text)}.c2ln`, `${ok}.${b64u(text)}.`);
  for (const b of SEGMENT_BYTES) cases.push(`${bytes64(b)}.${ok}.`, `${ok}.${bytes64(b)}.`);
  // base64url: padding, other alphabets, whitespace, length 1 mod 4, non-canonical trailing bits, non-ASCII
  const h = b64u('{"alg":"HS256","x":"??>>"}');
  for (const bad of [`${h}=`, `${h}==`, Buffer.from('{"alg":"HS256","x":"??>>"}').toString("base64"), ` ${h}`, `${h}\n`, `${h}A`, `${h.slice(0, -1)}${String.fromCharCode(h.charCodeAt(h.length - 1) + 1)}`,
    `${h.slice(0, -1)}é`, `${h}\ud800`, `${h}😀`, `${h.slice(0, -2)}\u0000`]) {
    cases.push(`${bad}.${ok}.c2ln`, `${ok}.${bad}.c2ln`, `${ok}.${ok}.${bad}`);
  }
  for (const sig of ["", "c2ln", "c2l", "c2k", "c2", "c", "c2ln=", "c2l=", "c2ln+", "c2ln/", "c2ln c2ln", "AAAA", "AAA", "AAB", "AAE", "AB", "AQ", "_-_-", "\u00e9"]) cases.push(`${ok}.${ok}.${sig}`);
  // segments
  for (const t of ["", ".", "..", "...", "a", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.", `${ok}..`, `.${ok}.`, `${ok}.${ok}`, `${ok}.${ok}.c2ln.`, `${ok}.${ok}..`, "\ud800.\udc00.", "é.é.é"]) cases.push(t);
  // the size limit, in UTF-8 bytes, around 16384: a valid token filled up to n bytes with `filler`
  const sized = (n, filler = "a") => {
    const t = token({ alg: "HS256" }, { p: "a".repeat(Math.floor(((n - 40) * 3) / 4)) }, "");
    return t + filler.repeat(Math.max(0, Math.floor((n - t.length) / filler.length)));
  };
  for (const n of [MAX - 2, MAX - 1, MAX, MAX + 1, MAX + 2]) cases.push(sized(n), sized(n, "A"), sized(n - 1, "é"), sized(n - 2, "😀"), sized(n - 3, "\ud800"));
  cases.push(`${"é".repeat(MAX / 2)}`, `${"é".repeat(MAX / 2)}a`, `${"é".repeat(MAX / 2 + 1)}`, `${"😀".repeat(MAX / 4)}`, `${"😀".repeat(MAX / 4)}a`, "\ud800".repeat(MAX / 3 + 1), "a".repeat(MAX + 1), `${"a".repeat(MAX - 3)}.b.`);
  // an exactly 16384-byte valid token and one byte more
  let pad = "a".repeat(Math.floor(((MAX - 40) * 3) / 4));
  while (token({ alg: "HS256" }, { pad }, "").length < MAX) pad += "a";
  for (const p of [pad.slice(0, -4), pad.slice(0, -3), pad.slice(0, -2), pad.slice(0, -1), pad, `${pad}a`]) cases.push(token({ alg: "HS256" }, { pad: p }, ""));

  let accepted = 0;
  let maxAccepted = 0;
  for (const t of cases) {
    if ("value" in agree(t)) {
      accepted++;
      maxAccepted = Math.max(maxAccepted, Buffer.byteLength(t));
    }
  }
  assert.ok(accepted > 50, `${accepted} of ${cases.length} accepted`);
  assert.equal(maxAccepted, MAX, "a token of exactly the limit is accepted");
});

test("whitespace around a token is refused with a message that says to trim it, the same in both entries", () => {
  const t = token({ alg: "HS256" }, { sub: "a" });
  const ends = "the token ends with whitespace (a newline?); trim it before verifying";
  const starts = "the token starts with whitespace; trim it before verifying";
  for (const ws of [" ", "\t", "\n", "\r\n", "\f", "\r"]) {
    for (const [input, message] of [[`${t}${ws}`, ends], [`${ws}${t}`, starts], [`${ws}${t}${ws}`, ends], [`a.b${ws}`, ends], [`${ws}a`, starts]]) {
      const got = agree(input, `(whitespace ${JSON.stringify(ws)})`);
      assert.deepEqual([got.error?.code, got.error?.message], ["ERR_JWS_INVALID", message], show(input));
    }
  }
  // Other characters are not whitespace to either entry: the ordinary base64url refusal.
  for (const c of ["\v", "\u00a0", "\ufeff"]) assert.doesNotMatch(agree(`${t}${c}`).error.message, /whitespace;|whitespace \(/);
});

test("every JSON text of up to 3 characters over a JSON-ish alphabet (4 with DECODE_SCALE > 1), alone, as a value and as an element", () => {
  const ALPHABET = ["{", "}", "[", "]", '"', ",", ":", "0", "1", "-", "e", ".", "\\", "u", " ", "\n"];
  const ok = b64u({ alg: "HS256" });
  let texts = [""];
  let count = 0;
  const longest = SCALE > 1 ? 4 : 3;
  for (let length = 1; length <= longest; length++) {
    texts = texts.flatMap((t) => ALPHABET.map((c) => t + c));
    for (const text of texts) {
      for (const json of length <= 3 ? [text, `{"a":${text}}`, `{"a":[${text}]}`] : [text]) {
        const t = `${ok}.${b64u(json)}.`;
        assert.deepStrictEqual(outcome(entry.decode, t), outcome(core.decode, t), JSON.stringify(json));
        count++;
      }
    }
  }
  assert.equal(count, 3 * (16 + 16 ** 2 + 16 ** 3) + (longest === 4 ? 16 ** 4 : 0));
});

test("base64url: exactly the canonical strings decode (every 1-2 character string, many of 3 and 4)", () => {
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const chars = [...ALPHABET, "=", "+", "/", ".", " ", "\0", "é"];
  const some = [..."AQgwBCDEPQ_-z9", "=", "+", "é"];
  const ok = b64u({ alg: "HS256" });
  // src/base64url.rs: accepted exactly when the alphabet is kept and encoding the bytes gives the string back.
  const canonical = (s) => /^[A-Za-z0-9_-]*$/.test(s) && Buffer.from(s, "base64url").toString("base64url") === s;
  const strings = [...chars, ...chars.flatMap((a) => chars.map((b) => a + b))];
  for (const a of some) for (const b of some) for (const c of chars) strings.push(a + b + c, `AAAA${a}${b}${c}`, `${a}${b}${c}A`);
  for (const sig of strings) {
    const t = `${ok}.${ok}.${sig}`;
    assert.equal("value" in outcome(entry.decode, t), canonical(sig), JSON.stringify(sig));
    if (sig.length <= 2) assert.deepStrictEqual(outcome(entry.decode, t), outcome(core.decode, t), JSON.stringify(sig));
  }
  // and the bytes themselves, for every length of 0..255
  const data = Uint8Array.from({ length: 256 }, (_, k) => k);
  for (let n = 0; n < 256; n++) {
    const t = `${ok}.${b64u('{"p":1}')}.${bytes64(data.subarray(0, n))}`;
    assert.equal(entry.decode(t).signature, bytes64(data.subarray(0, n)));
    const header = `${bytes64(Buffer.from(`{"b":"${Buffer.from(data.subarray(0, n)).toString("hex")}"}`))}`;
    assert.equal(entry.decodeHeader(`${header}.e30.`).b, Buffer.from(data.subarray(0, n)).toString("hex"));
  }
});

test("non-string tokens: the same JwtError as the main entry", () => {
  for (const bad of [undefined, null, 42, 1n, true, {}, [], Buffer.from("a.b.c"), Symbol("t"), () => "a.b.c", new String("a.b.c")]) {
    assert.deepStrictEqual(outcome(entry.decode, bad), outcome(core.decode, bad), String(typeof bad));
    assert.deepStrictEqual(outcome(entry.decodeHeader, bad), outcome(core.decodeHeader, bad), String(typeof bad));
  }
});

test("errors are the entry's JwtError; values have no prototype surprises", () => {
  const e = outcome(entry.decode, "x.y").error;
  assert.deepEqual(e, { type: "JwtError", name: "JwtError", code: "ERR_JWS_INVALID", message: "a compact JWS has exactly three segments separated by '.', this one has 2" });
  try {
    entry.decode("x");
  } catch (err) {
    assert.ok(err instanceof entry.JwtError && err instanceof Error);
    assert.match(String(err.stack), /JwtError/);
  }
  const made = new entry.JwtError("ERR_JWT_INVALID", "hand made", { claim: "exp", reason: "missing", cause: 1 });
  assert.deepEqual([made.name, made.code, made.message, made.claim, made.reason, made.cause], ["JwtError", "ERR_JWT_INVALID", "hand made", "exp", "missing", 1]);
  assert.deepEqual(Object.keys(new entry.JwtError("ERR_JWT_INVALID", "x")), ["code"]);
  const d = entry.decode(token({ alg: "HS256" }, '{"__proto__":{"admin":true},"sub":"a"}'));
  assert.equal(Object.getPrototypeOf(d.payload), Object.prototype);
  assert.equal(d.payload.admin, undefined);
  assert.deepEqual(Object.keys(d.payload), ["__proto__", "sub"]);
  assert.equal({}.admin, undefined);
});

test("require('jwtward/decode') gives the same module as import, with no warning", async () => {
  const require = createRequire(import.meta.url);
  const cjs = require("jwtward/decode");
  assert.equal(cjs.decode, entry.decode);
  assert.equal(cjs.JwtError, entry.JwtError);
  // In a fresh process: require() of the ES module prints no warning.
  const run = promisify(execFile);
  const { stdout, stderr } = await run(process.execPath, ["-e", 'const d = require("jwtward/decode"); console.log(d.decodeHeader("e30.e30.").constructor === Object)'], { cwd: new URL(".", import.meta.url) });
  assert.deepEqual([stdout.trim(), stderr], ["true", ""]);
});

test("options.maxTokenSize: the same validation and limits as the main entry", () => {
  /** Asserts both entries agree on `decode` and `decodeHeader` of `t` under `options`. */
  const agreeWith = (t, options) => {
    const expected = outcome(core.decode, t, options);
    assert.deepStrictEqual(outcome(entry.decode, t, options), expected, `decode(${show(t)}, ${inspect(options)})`);
    assert.deepStrictEqual(outcome(entry.decodeHeader, t, options), outcome(core.decodeHeader, t, options), `decodeHeader(${show(t)})`);
    return expected;
  };
  const t = token({ alg: "HS256" }, { sub: "é" });
  const big = token({ alg: "HS256" }, { pad: "a".repeat(MAX) }, "");
  const limits = [1, 10, t.length - 1, t.length, t.length + 1, MAX - 1, MAX, MAX + 1, big.length - 1, big.length, big.length + 1, 2 * MAX, 2 ** 32, 2 ** 53 - 1];
  const tokens = [t, `${t}é`, `${t}😀`, `${t}\ud800`, big, `${big}é`, `${big.slice(0, -2)}é`, "é".repeat(MAX), "é".repeat(MAX + 1), `${"é".repeat(MAX / 2)}a`, "", "a.b"];
  for (const tk of tokens) for (const maxTokenSize of limits) agreeWith(tk, { maxTokenSize });
  assert.equal(agreeWith(big, { maxTokenSize: 2 * MAX }).value.payload.pad.length, MAX);
  assert.equal(agreeWith(big, {}).error.code, "ERR_JWT_INVALID");
  // validation: the same TypeError, before the token is looked at
  const polluted = Object.create({ maxTokenSize: 1 });
  for (const options of [undefined, {}, { maxTokenSize: undefined }, null, [], "x", 1, () => {}, { maxTokensize: 1 }, { maxTokenSize: 1, other: 2 }, polluted,
    ...[0, -1, 1.5, NaN, Infinity, 2 ** 53, "100", null, 10n].map((maxTokenSize) => ({ maxTokenSize }))]) {
    for (const tk of [t, 42]) agreeWith(tk, options);
  }
  assert.deepEqual(outcome(entry.decode, t, { maxTokenSize: 0 }).error, { type: "TypeError", name: "TypeError", code: "ERR_INVALID_ARG_VALUE", message: "options.maxTokenSize must be a positive integer (bytes)" });
});

// ---------------------------------------------------------------- the property test

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generators(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => random() < p;
  const WS = ["", "", "", " ", "\n", "\t", "\r\n", "  ", "\u00a0", "\f", "\v"];
  const ws = () => (chance(0.2) ? pick(WS) : "");
  const NUMBERS = ["0", "-0", "1", "-1", "1.5", "1e5", "1E-5", "2.5e+3", "1e308", "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "-1e400", "4.9e-324", "1e-400",
    "18446744073709551616", "9007199254740993", "0e99999999999", "1e99999999999", "1e-99999999999", halfway, below, "01", "1.", ".5", "-", "1e", "1e+", "+1", "0x1", "1.e3", "NaN"];
  const number = () => {
    if (chance(0.4)) return pick(NUMBERS);
    let s = chance(0.3) ? "-" : "";
    s += chance(0.2) ? "0" : String(1 + int(9)) + Array.from({ length: int(chance(0.1) ? 40 : 6) }, () => int(10)).join("");
    if (chance(0.3)) s += `.${Array.from({ length: int(4) + (chance(0.9) ? 1 : 0) }, () => int(10)).join("")}`;
    if (chance(0.3)) s += `${pick(["e", "E"])}${pick(["", "+", "-"])}${chance(0.1) ? "" : String(int(chance(0.2) ? 4e9 : 400))}`;
    return s;
  };
  const PIECES = ["a", "b", "é", "😀", "\u0301", "\u200d", "\ue000", "\u0378", "\u2028", " ", "\\n", "\\t", '\\"', "\\\\", "\\/", "\\u0041", "\\u00e9", "\\ud83d\\ude00",
    "\\ud800", "\\udc00", "\\ud800x", "\\ud800\\u0041", "\\u12", "\\x", "\\", "\t", "\u0000", "\u001f", "\u007f", "\\u0000", "\\b\\f\\r"];
  const string = () => `"${Array.from({ length: int(5) }, () => pick(PIECES)).join("")}${chance(0.03) ? "" : '"'}`;
  const NAMES = ['"a"', '"b"', '"\\u0061"', '"__proto__"', '"é"', '"\\u00e9"', '""', '"alg"', '"x at line 1 column 2"', '"e\u0301😀"', `"${"é".repeat(41)}"`];
  const value = (depth) => {
    const r = random();
    // Wide objects and arrays only near the top, so a text stays a few hundred bytes.
    if (depth > 6 || r < 0.35) return pick([number, string, () => pick(["true", "false", "null", "nul", "tru", "falsey"])])();
    if (chance(0.02)) return `${"[".repeat(28 + int(8))}${"]".repeat(28 + int(8))}`;
    if (r < 0.6) return array(depth + 1);
    return object(depth + 1);
  };
  const array = (depth) => {
    const items = Array.from({ length: int(depth > 3 ? 2 : 4) }, () => ws() + value(depth) + ws());
    return `[${items.join(chance(0.03) ? pick([" ", ",,"]) : ",")}${chance(0.03) ? "," : ""}${chance(0.03) ? "" : "]"}`;
  };
  const object = (depth) => {
    const members = Array.from({ length: int(depth < 2 && chance(0.05) ? 30 : depth > 3 ? 2 : 4) }, () => `${ws()}${chance(0.97) ? pick(NAMES) : pick(["1", "a", "'a'"])}${ws()}${chance(0.98) ? ":" : ""}${ws()}${value(depth)}${ws()}`);
    return `{${members.join(chance(0.03) ? " " : ",")}${chance(0.03) ? "," : ""}${chance(0.03) ? "" : "}"}`;
  };
  const topText = () => ws() + (chance(0.9) ? object(0) : value(0)) + ws() + (chance(0.03) ? pick(["x", "{}", "\u0000"]) : "");
  /** A few random byte edits: flips, inserts (invalid UTF-8 included), deletes. */
  const mutateBytes = (b) => {
    const out = [...b];
    for (let k = 1 + int(3); k > 0; k--) {
      const at = int(out.length + 1);
      const byte = pick([int(256), 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x20, 0x0a, 0x30, 0x65, 0x2d, 0xff, 0xc3, 0xed, 0xf0]);
      const op = int(3);
      if (op === 0 && at < out.length) out[at] = byte;
      else if (op === 1) out.splice(at, 0, byte);
      else out.splice(at, 1);
    }
    return Uint8Array.from(out);
  };
  const segment = () => {
    let b = Buffer.from(topText());
    if (chance(0.15)) b = mutateBytes(b);
    let s = bytes64(b);
    if (chance(0.05)) s = corrupt(s);
    return s;
  };
  const CHARS = ["A", "a", "0", "-", "_", "=", "+", "/", " ", ".", "\n", "é", "😀", "\ud800", "\u0000", "Q", "g", "w"];
  /** A few character edits of a token: the alphabet's edges, separators, non-ASCII. */
  const corrupt = (t) => {
    const chars = [...t];
    for (let k = 1 + int(2); k > 0; k--) {
      const at = int(chars.length + 1);
      const op = int(3);
      if (op === 0 && at < chars.length) chars[at] = pick(CHARS);
      else if (op === 1) chars.splice(at, 0, pick(CHARS));
      else chars.splice(at, 1);
    }
    return chars.join("");
  };
  const signature = () => pick(["", "c2ln", "c2l", "c2k", "AAAA", "AQ", bytes64(Buffer.from(Array.from({ length: int(70) }, () => int(256)))), "c2ln="]);
  const tokenOf = () => {
    // A plain header half of the time, so that the payload's own refusals are reached too.
    const parts = [chance(0.5) ? b64u({ alg: "HS256", typ: "JWT" }) : segment(), segment(), signature()];
    if (chance(0.05)) parts.splice(int(4), 0, pick(["", "e30", segment()]));
    if (chance(0.05)) parts.splice(int(3), 1);
    return parts.join(".");
  };
  return { int, pick, chance, corrupt, mutateBytes, tokenOf };
}

test("property: random and mutated tokens, same outcome as the core (seeded)", async (t) => {
  // DECODE_SEED replays or varies a run; DECODE_SCALE multiplies its length.
  const seed = Number(process.env.DECODE_SEED ?? 20261204);
  const random = prng(seed);
  const g = generators(random);
  const valid = (await suiteInputs()).filter((t) => "value" in outcome(core.decode, t));
  const counts = { random: 0, mutatedToken: 0, mutatedJson: 0, accepted: 0 };
  const kinds = new Map(); // each refusal's message without its position or quoted name
  const check = (token, kind, k) => {
    try {
      const { error } = agree(token);
      // Now and then a limit near the token's size, through both entries' options.
      if (g.chance(0.1)) {
        const options = { maxTokenSize: Math.max(1, token.length + g.int(9) - 4) };
        assert.deepStrictEqual(outcome(entry.decode, token, options), outcome(core.decode, token, options), `decode(${show(token)}, ${JSON.stringify(options)})`);
      }
      if (error === undefined) {
        counts.accepted++;
        if (kind === "random") valid.push(token);
      }
      else {
        const what = error.message.replace(/ at line \d+ column \d+$/, "").replace(/(duplicate member name|this one has|token is) .*/, "$1 …");
        kinds.set(what, (kinds.get(what) ?? 0) + 1);
      }
      counts[kind]++;
    } catch (e) {
      e.message = `seed ${seed} (DECODE_SEED=${seed}), ${kind} case ${k}: ${e.message}`;
      throw e;
    }
  };
  for (let k = 0; k < 6000 * SCALE; k++) check(g.tokenOf(), "random", k);
  for (let k = 0; k < 4000 * SCALE; k++) check(g.corrupt(g.pick(valid)), "mutatedToken", k);
  for (let k = 0; k < 4000 * SCALE; k++) {
    const [h, p, s] = g.pick(valid).split(".");
    const which = g.int(2);
    const edited = g.mutateBytes(Buffer.from(which ? p : h, "base64url"));
    check(which ? `${h}.${bytes64(edited)}.${s}` : `${bytes64(edited)}.${p}.${s}`, "mutatedJson", k);
  }
  t.diagnostic(`seed ${seed}: ${JSON.stringify(counts)}; ${kinds.size} kinds of refusal`);
  for (const [what, n] of [...kinds].sort((a, b) => b[1] - a[1])) t.diagnostic(`${String(n).padStart(5)}  ${what}`);
  assert.ok(counts.accepted > 1000, JSON.stringify(counts));
  assert.ok(kinds.size >= 30, `only ${kinds.size} kinds of refusal met`);
});

// ---------------------------------------------------------------- size

test("the minified browser bundle of jwtward/decode is at most 8 KB gzip, and holds no wasm", async (t) => {
  const { minified, gzip, wasm, code } = await measureDecodeBundle();
  t.diagnostic(`jwtward/decode bundle: ${minified} bytes minified, ${gzip} bytes gzip -9`);
  assert.ok(gzip <= DECODE_BUDGET_GZIP, `${gzip} bytes gzip > ${DECODE_BUDGET_GZIP}`);
  assert.equal(wasm, false);
  // The bundle itself works, self-contained (no import left in it), and agrees with the core.
  const bundled = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  for (const t of [token({ alg: "HS256" }, { sub: "a" }), token({ alg: "HS256" }, '{"a":1,"a":2}'), "a.b"]) {
    assert.deepStrictEqual(outcome(bundled.decode, t), outcome(core.decode, t), t);
    assert.deepStrictEqual(outcome(bundled.decodeHeader, t), outcome(core.decodeHeader, t), t);
  }
});
