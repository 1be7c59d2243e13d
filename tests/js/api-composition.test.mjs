// The package's one export list and how the API is composed: createApi returns exactly
// EXPORT_NAMES, every entry exports exactly those names (its export line is generated from the
// list), two APIs over two cores share nothing but the plain-JS classes, a core whose tables
// differ from the JavaScript side's is refused when the API is built, and verifyAsync returns
// the host's verdict under the id of the request it answers (host protocol v2).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as jwtward from "jwtward";
import { EXPORT_NAMES, createApi } from "../../pkg/src/api.js";
import { ALGS, ARG_ERROR_CODE, DEFAULT_MAX_TOKEN_SIZE, ERROR_CODES, MAX_JWKS_SIZE } from "../../pkg/src/tables.js";
import { JwtError } from "../../pkg/src/errors.js";
import { createRequire } from "node:module";
import { freshCore } from "./fresh-core.mjs";

const require = createRequire(import.meta.url);

test("createApi returns exactly EXPORT_NAMES, in that order", () => {
  assert.deepEqual(Object.keys(createApi({ core: freshCore(undefined) })), [...EXPORT_NAMES]);
});

test("the Node entries (jwtward and jwtward/full) export exactly EXPORT_NAMES", async () => {
  assert.deepEqual(Object.keys(jwtward).sort(), [...EXPORT_NAMES].sort());
  assert.deepEqual(Object.keys(await import("jwtward/full")).sort(), [...EXPORT_NAMES].sort());
});

test("each entry file's export statement names exactly EXPORT_NAMES", () => {
  const entries = ["index.node.mjs", "index.deno.mjs", "index.browser.mjs", "index.workerd.mjs"];
  for (const entry of [...entries, ...entries.map((e) => `full/${e}`)]) {
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
  // The real core's tables agree (createApi checks them whenever the core exports coreTables).
  assert.equal(typeof real.coreTables, "function");
  assert.deepEqual(Object.keys(createApi({ core: real })), [...EXPORT_NAMES]);
  const tables = JSON.parse(real.coreTables());
  const withTables = (change) => ({ ...real, coreTables: () => JSON.stringify(change(structuredClone(tables))) });
  const differing = {
    "the algorithms (order)": (t) => ({ ...t, algs: [...ALGS].reverse() }),
    "the algorithms (one missing)": (t) => ({ ...t, algs: ALGS.slice(1) }),
    "the token size limit": (t) => ({ ...t, limits: { ...t.limits, DEFAULT_MAX_TOKEN_SIZE: DEFAULT_MAX_TOKEN_SIZE * 2 } }),
    "the JWKS size limit": (t) => ({ ...t, limits: { ...t.limits, MAX_JWKS_SIZE: MAX_JWKS_SIZE + 1 } }),
    "the error codes": (t) => ({ ...t, errorCodes: [...t.errorCodes, "ERR_SOMETHING_NEW"] }),
  };
  for (const [what, change] of Object.entries(differing)) {
    assert.throws(() => createApi({ core: withTables(change) }), new RegExp(`disagree on ${what.replace(/ \(.*/, "")}`), what);
  }
  assert.deepEqual(tables.errorCodes.filter((code) => !ERROR_CODES.includes(code)), [ARG_ERROR_CODE], "every code of the core is known to the JS side");
});

test("verifyAsync hands the host's verdict back under its request's id: the core applies it", async () => {
  const core = freshCore(undefined);
  const webCrypto = require("../../pkg/src/hosts/webcrypto.js").default(globalThis.crypto.subtle, core.hostKeySpki);
  // A host that answers "invalid" to everything: the core must take that answer, not verify itself.
  let asked = 0;
  const refusing = { unpack: webCrypto.unpack, verify: async () => (asked++, false) };
  const api = createApi({ core, asyncCrypto: refusing });
  const { privateKey, publicKey } = api.generateKeyPair("ES256");
  const token = new api.Signer(privateKey, { alg: "ES256" }).sign({ sub: "u" });
  const verifier = new api.Verifier(publicKey, { algorithms: ["ES256"] });
  await assert.rejects(verifier.verifyAsync(token), { code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
  assert.equal(asked, 1);
  // And with the real WebCrypto answer, the same token verifies.
  const honest = createApi({ core, asyncCrypto: webCrypto });
  assert.equal((await new honest.Verifier(honest.Key.fromJwk(publicKey.toPublicJwk()), { algorithms: ["ES256"] }).verifyAsync(token)).payload.sub, "u");
});
