// The package's one export list and how the API is composed: createApi returns exactly
// EXPORT_NAMES, every entry exports exactly those names (its export line is generated from the
// list), two APIs over two cores share nothing but the plain-JS classes, and a core whose tables
// differ from the JavaScript side's is refused when the API is built.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as jwtward from "jwtward";
import { EXPORT_NAMES, createApi } from "../../pkg/src/api.js";
import { ALGS, DEFAULT_MAX_TOKEN_SIZE, ERROR_CODES, MAX_JWKS_SIZE } from "../../pkg/src/tables.js";
import { JwtError } from "../../pkg/src/errors.js";
import { freshCore } from "./fresh-core.mjs";

test("createApi returns exactly EXPORT_NAMES, in that order", () => {
  assert.deepEqual(Object.keys(createApi({ core: freshCore(undefined) })), [...EXPORT_NAMES]);
});

test("the Node entry exports exactly EXPORT_NAMES", () => {
  assert.deepEqual(Object.keys(jwtward).sort(), [...EXPORT_NAMES].sort());
});

test("each entry file's export statement names exactly EXPORT_NAMES", () => {
  for (const entry of ["index.node.mjs", "index.browser.mjs", "index.workerd.mjs"]) {
    const text = readFileSync(new URL(`../../pkg/${entry}`, import.meta.url), "utf8");
    const m = /^export const \{([^}]*)\} = api;$/m.exec(text);
    assert.ok(m, entry);
    assert.deepEqual(m[1].split(",").map((s) => s.trim()), [...EXPORT_NAMES], entry);
    assert.equal(text.match(/^export /gm).length, 1, `${entry}: one export statement`);
  }
});

test("two APIs over two cores keep their keys apart and share JwtError and the stores", () => {
  const a = createApi({ core: freshCore(undefined) });
  const b = createApi({ core: freshCore(undefined) });
  assert.notEqual(a.Key, b.Key);
  assert.notEqual(a.Verifier, b.Verifier);
  assert.equal(a.JwtError, b.JwtError);
  assert.equal(a.JwtError, jwtward.JwtError);
  assert.equal(a.MemoryStore, b.MemoryStore);
  const key = a.Key.fromSecret("a-long-enough-secret-for-two-apis-0123456789");
  assert.throws(() => new b.Signer(key, { alg: "HS256" }), { code: "ERR_INVALID_ARG_VALUE" });
  const token = new a.Signer(key, { alg: "HS256" }).sign({ n: 1 });
  assert.equal(a.verify(token, key, { algorithms: ["HS256"] }).payload.n, 1);
  assert.throws(() => b.decode("x"), (e) => e instanceof JwtError && e instanceof jwtward.JwtError);
});

test("a core whose tables differ from the JavaScript side's is refused when the API is built", () => {
  const real = freshCore(undefined);
  const withTables = (tables) => ({ ...real, tables: () => JSON.stringify(tables) });
  const same = { algorithms: ALGS, maxTokenSize: DEFAULT_MAX_TOKEN_SIZE, maxJwksSize: MAX_JWKS_SIZE, errorCodes: ERROR_CODES.slice(0, 5) };
  assert.deepEqual(Object.keys(createApi({ core: withTables(same) })), [...EXPORT_NAMES]);
  assert.deepEqual(Object.keys(createApi({ core: withTables({}) })), [...EXPORT_NAMES]);
  const differing = [
    { algorithms: [...ALGS].reverse() },
    { algorithms: ALGS.slice(1) },
    { maxTokenSize: DEFAULT_MAX_TOKEN_SIZE * 2 },
    { maxJwksSize: MAX_JWKS_SIZE + 1 },
    { errorCodes: ["ERR_SOMETHING_NEW"] },
  ];
  for (const tables of differing) {
    assert.throws(() => createApi({ core: withTables(tables) }), /disagree on/, JSON.stringify(tables));
  }
});
