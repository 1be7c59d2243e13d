// Robustness: hundreds of malformed inputs to every entry point must end in a JwtError or a
// TypeError (or a normal return), never a wasm trap (`RuntimeError: unreachable`) or another
// crash; afterwards the SAME module instance must still verify a good token, proving no trap
// left it poisoned.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import * as jwtward from "jwtward";
import { b64u, hmacToken, goodToken, NOW, SECRET } from "./helpers.mjs";

const { decode, decodeHeader, Key, KeySet, Verifier, verify, checkClaims, bearerToken, JwtError, Signer, generateKeyPair } = jwtward;

// Deterministic pseudo-random source, so a failure can be replayed.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(0x5eed);
const randInt = (n) => Math.floor(rand() * n);
const randBytes = (n) => Uint8Array.from({ length: n }, () => randInt(256));
const randString = (n, alphabet) => Array.from({ length: n }, () => alphabet[randInt(alphabet.length)]).join("");
const B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const stats = { calls: 0, ok: 0, jwtError: 0, typeError: 0 };
/** Runs fn; anything but a return, a JwtError or a TypeError fails the test. */
function survive(label, fn) {
  stats.calls++;
  try {
    fn();
    stats.ok++;
  } catch (e) {
    if (e instanceof JwtError) {
      assert.equal(typeof e.code, "string", label);
      assert.match(e.code, /^ERR_/, label);
      stats.jwtError++;
    } else if (e instanceof TypeError) stats.typeError++;
    else assert.fail(`${label}: unexpected ${e && e.constructor && e.constructor.name}: ${e && e.message}`);
  }
}

const deep = (n) => "[".repeat(n) + "]".repeat(n);
const deepObj = (n) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

function malformedTokens() {
  const [h, p, s] = goodToken().split(".");
  const out = [
    "", ".", "..", "...", "a.b.c", `${h}.${p}.${s}.`, `.${p}.${s}`, `${h}..${s}`,
    "\uD800", `${h}.${p}.${s}\uDC00`, `\uD83D.${p}.${s}`, "\u0000.\u0000.\u0000", `${h}.${p}.${s}\u0000`,
    "x".repeat(16 * 1024 + 1), `${h}.${"A".repeat(200_000)}.${s}`, "a.".repeat(100_000), "=".repeat(50_000),
    `${b64u(deep(5000))}.${p}.${s}`, `${h}.${b64u(deep(5000))}.${s}`, `${h}.${b64u(deepObj(5000))}.${s}`,
    `${b64u(`{"alg":"HS256","x":${deep(40)}}`)}.${p}.${s}`, `${h}.${b64u(`{"x":${deepObj(40)}}`)}.${s}`,
    `${b64u('{"alg":"HS256","alg":"none"}')}.${p}.${s}`, `${b64u('{"alg":"HS256"}')}.${b64u('{"exp":1e999}')}.${s}`,
    `${h}.${b64u('{"exp":-1e308,"nbf":1e308,"iat":NaN}')}.${s}`, `${h}.${b64u('{"exp":99999999999999999999999999999}')}.${s}`,
    `${b64u('{"alg":"HS256","crit":["exp"]}')}.${p}.${s}`, `${b64u('{"alg":"HS256","crit":[]}')}.${p}.${s}`, `${b64u('{"alg":"HS256","b64":false,"crit":["b64"]}')}.${p}.${s}`,
    `${b64u('{"alg":"HS256","kid":{}}')}.${p}.${s}`, `${b64u('{"alg":["HS256"]}')}.${p}.${s}`, `${b64u({ alg: "HS256" })}.${b64u("\uFEFF{}")}.${s}`,
    `${Buffer.from([0xff, 0xfe, 0xfd]).toString("base64url")}.${p}.${s}`, `${b64u('{"alg":"HS256","\\ud800":1}')}.${p}.${s}`,
    `${b64u({ alg: "HS256" })}.${b64u('{"sub":"\\udfff"}')}.${s}`, `${b64u('{"alg":"ES256"}')}.${p}.${"A".repeat(10_000)}`,
    `${b64u('{"alg":"ES256"}')}.${p}.${"A".repeat(86)}`, `${b64u('{"alg":"RS256"}')}.${p}.${"_".repeat(342)}`, `${b64u('{"alg":"EdDSA"}')}.${p}.${"A".repeat(86)}`,
    `${b64u('{"alg":"PS256"}')}.${p}.${"A"}`, `${b64u('{"alg":"HS256"}')}.${p}.${"A".repeat(2)}`,
  ];
  for (let i = 0; i < 120; i++) out.push(new TextDecoder("latin1").decode(randBytes(1 + randInt(300))));
  for (let i = 0; i < 120; i++) out.push(`${randString(randInt(60), B64U)}.${randString(randInt(60), B64U)}.${randString(randInt(100), B64U + "=+/ ")}`);
  for (let i = 0; i < 60; i++) out.push(`${b64u(randBytes(randInt(80)))}.${b64u(randBytes(randInt(80)))}.${b64u(randBytes(randInt(80)))}`);
  for (let i = 0; i < 60; i++) {
    const t = goodToken().split("");
    t[randInt(t.length)] = String.fromCharCode(randInt(0x10000));
    out.push(t.join(""));
  }
  return out;
}
const NON_STRINGS = [undefined, null, 0, -1, NaN, Infinity, 2n ** 70n, true, Symbol("s"), {}, [], ["a.b.c"], () => "a.b.c", new Uint8Array(10), new ArrayBuffer(4), new Date(), /x/, new Map(), Object.create(null), { toString: () => "a.b.c" }];

const ecPair = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const goodPem = ecPair.publicKey.export({ type: "spki", format: "pem" });
const goodJwk = ecPair.publicKey.export({ format: "jwk" });

test("malformed tokens through decode, decodeHeader, Verifier and verify", () => {
  const key = Key.fromSecret(SECRET);
  const verifiers = [
    new Verifier(key, { algorithms: ["HS256"] }),
    new Verifier(key, { algorithms: ["HS256"], typ: "at+jwt", maxTokenSize: 1 << 20, requiredScopes: ["a"], maxTokenAge: "1h" }),
    new Verifier(Key.fromPem(goodPem), { algorithms: ["ES256", "RS256", "PS256", "EdDSA"] }),
    new Verifier(KeySet.of([generateKeyPair("RS256").publicKey, generateKeyPair("EdDSA").publicKey]), { algorithms: ["RS256", "EdDSA", "PS256"] }),
  ];
  const tokens = [...malformedTokens(), ...NON_STRINGS];
  for (const t of tokens) {
    const label = typeof t === "string" ? JSON.stringify(t.slice(0, 60)) : String(typeof t);
    survive(`decode ${label}`, () => decode(t));
    survive(`decodeHeader ${label}`, () => decodeHeader(t));
    for (const v of verifiers) survive(`verify ${label}`, () => v.verify(t));
    survive(`verify() ${label}`, () => verify(t, key, { algorithms: ["HS256", "HS512"] }));
    survive(`bearerToken ${label}`, () => assert.ok(bearerToken(t) === null || typeof bearerToken(t) === "string"));
  }
  // Over the size limit: refused without being parsed.
  for (const size of [16 * 1024 + 1, 1 << 20, 8 << 20]) {
    const big = goodToken({ pad: "x".repeat(size) });
    assert.throws(() => verifiers[0].verify(big), (e) => e instanceof JwtError && e.code === "ERR_JWT_INVALID");
  }
  assert.ok(stats.calls > 1000, `only ${stats.calls} calls`);
});

test("bad key material: PEMs, JWKs, JWKS, secrets", () => {
  const pems = [
    "", " ", "-----BEGIN PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n", goodPem.replace("PUBLIC", "PRIVATE"),
    goodPem.replace("PUBLIC KEY", "RSA PUBLIC KEY"), goodPem.replace("PUBLIC KEY", "EC PRIVATE KEY"), goodPem.slice(0, goodPem.length / 2), goodPem.replace(/\n/g, ""),
    goodPem + goodPem, "-----BEGIN PUBLIC KEY-----\n" + "A".repeat(100_000) + "\n-----END PUBLIC KEY-----\n", "-----BEGIN PUBLIC KEY-----\n\uD800\n-----END PUBLIC KEY-----",
    "-----BEGIN PUBLIC KEY-----\n" + Buffer.from(deep(3000)).toString("base64") + "\n-----END PUBLIC KEY-----",
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----",
  ];
  for (let i = 0; i < 80; i++) {
    pems.push(`-----BEGIN ${["PUBLIC KEY", "PRIVATE KEY", "RSA PUBLIC KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "CERTIFICATE"][randInt(6)]}-----\n${Buffer.from(randBytes(randInt(600))).toString("base64")}\n-----END X-----`);
  }
  for (const p of [...pems, ...NON_STRINGS]) {
    survive("fromPem", () => Key.fromPem(p));
    survive("fromPem alg", () => Key.fromPem(p, { alg: "ES256", kid: "\uD800" }));
  }

  const jwks = [
    {}, { kty: "" }, { kty: "RSA", n: "", e: "" }, { kty: "RSA", n: "AQAB", e: "AQAB" }, { kty: "RSA", n: "A".repeat(100_000), e: "AQAB" },
    { kty: "RSA", n: goodJwk.x, e: "A".repeat(5000) }, { ...goodJwk, crv: "P-384" }, { ...goodJwk, crv: "P-521" }, { ...goodJwk, x: goodJwk.x + "A" },
    { ...goodJwk, y: "" }, { ...goodJwk, d: "" }, { ...goodJwk, d: "A".repeat(43) }, { ...goodJwk, alg: "none" }, { ...goodJwk, alg: 5 }, { ...goodJwk, use: "enc" },
    { ...goodJwk, key_ops: "verify" }, { ...goodJwk, kid: { a: 1 } }, { kty: "OKP", crv: "Ed25519", x: "" }, { kty: "OKP", crv: "Ed448", x: goodJwk.x }, { kty: "OKP", crv: "X25519", x: goodJwk.x },
    { kty: "oct", k: "" }, { kty: "oct", k: "a+b/c=" }, { kty: "oct", k: "\uD800" }, { kty: "EC", crv: "P-256", x: deep(10), y: deep(10) },
    JSON.parse(deepObj(3000).replace('{"a":', '{"kty":"EC","a":')), { kty: "RSA", n: 5, e: [] }, { kty: ["RSA"] }, { kty: "oct", k: "AAAA", ext: "yes", x5c: [1, 2] },
  ];
  for (let i = 0; i < 60; i++) jwks.push({ kty: ["RSA", "EC", "OKP", "oct"][randInt(4)], crv: ["P-256", "P-384", "P-521", "Ed25519", "x"][randInt(5)], n: b64u(randBytes(randInt(300))), e: b64u(randBytes(randInt(5))), x: b64u(randBytes(randInt(70))), y: b64u(randBytes(randInt(70))), d: rand() < 0.5 ? b64u(randBytes(randInt(70))) : undefined, k: b64u(randBytes(randInt(70))) });
  for (const j of [...jwks, ...NON_STRINGS]) {
    survive("fromJwk", () => Key.fromJwk(j));
    survive("fromJwks", () => KeySet.fromJwks({ keys: [j] }));
    survive("Verifier(jwk)", () => new Verifier(j, { algorithms: ["ES256"] }).verify(goodToken()));
  }
  for (const set of [...NON_STRINGS, { keys: null }, { keys: jwks }, { keys: new Array(1000).fill(goodJwk) }, { keys: [goodJwk], extra: deep(10) }]) {
    survive("fromJwks set", () => KeySet.fromJwks(set));
    survive("Verifier(set)", () => new Verifier(set, { algorithms: ["ES256"] }).verify(goodToken()));
  }

  for (const s of [...NON_STRINGS, "", "\uD800", new Uint8Array(0), new Uint8Array(1 << 20), "x".repeat(1 << 20)]) {
    survive("fromSecret", () => Key.fromSecret(s));
    survive("fromSecret opts", () => Key.fromSecret(s, { alg: "HS256", kid: "\uDFFF" }));
  }
  for (const o of [...NON_STRINGS, { alg: "none" }, { alg: "HS256", kid: 5 }, { kid: deep(100) }]) survive("fromSecret opts", () => Key.fromSecret(SECRET, o));
});

test("bad options, claims and arguments to every other entry point", () => {
  const key = Key.fromSecret(SECRET);
  const optionSets = [
    ...NON_STRINGS, { algorithms: null }, { algorithms: [null] }, { algorithms: ["HS256"], clockTolerance: 1e308 }, { algorithms: ["HS256"], clockTolerance: "9999999999999999999999d" },
    { algorithms: ["HS256"], maxTokenAge: "-5m" }, { algorithms: ["HS256"], maxTokenAge: "1.5.5h" }, { algorithms: ["HS256"], clockTolerance: "\uD800" }, { algorithms: ["HS256"], issuer: ["\uD800"] },
    { algorithms: ["HS256"], claims: { "\uD800": "\uDC00" } }, { algorithms: ["HS256"], requiredClaims: new Array(10_000).fill("x") }, { algorithms: ["HS256"], maxTokenSize: 0 },
    { algorithms: ["HS256"], maxTokenSize: 2 ** 60 }, { algorithms: ["HS256"], typ: "" }, { algorithms: new Array(1000).fill("HS256") }, { algorithms: ["HS256"], currentDate: -1e300 },
    { algorithms: ["HS256"], currentDate: 8.64e15 }, { algorithms: ["HS256"], ["__proto__"]: { issuer: "x" } },
  ];
  for (const o of optionSets) {
    survive("Verifier options", () => new Verifier(key, o).verify(goodToken()));
    survive("checkClaims options", () => checkClaims({ exp: NOW + 10 }, o));
  }
  const payloads = [
    {}, { exp: "1" }, { exp: null }, { exp: 1e308 }, { exp: -1e308 }, { nbf: Number.MAX_VALUE }, { iat: [] }, { aud: [1, 2] }, { aud: {} }, { iss: 5 }, { scope: 5 }, { scp: "a" },
    { roles: "admin" }, { roles: [{}] }, { sub: "\uD800" }, JSON.parse(deepObj(1000)), { a: JSON.parse(deep(2000)) },
  ];
  const claimOpts = { issuer: "i", audience: "a", subject: "s", requiredScopes: ["x"], requiredRoles: ["r"], claims: { t: 1 }, maxTokenAge: 10, currentDate: NOW };
  for (const p of [...payloads, ...NON_STRINGS]) {
    survive("checkClaims", () => checkClaims(p, claimOpts));
    survive("checkClaims none", () => checkClaims(p, {}));
  }
  const cyclic = {};
  cyclic.self = cyclic;
  const signer = new Signer(key, { alg: "HS256" });
  for (const c of [...payloads, ...NON_STRINGS, cyclic, { big: 1n }, { s: "\uD800" }, { s: "x".repeat(1 << 20) }, JSON.parse(deepObj(5000))]) {
    survive("sign", () => signer.sign(c));
    survive("sign overrides", () => signer.sign({}, c));
  }
  for (const o of [...NON_STRINGS, { alg: "HS256", expiresIn: "forever" }, { alg: "HS256", expiresIn: -5 }, { alg: "HS256", expiresIn: 1e308 }, { alg: "HS256", notBefore: "\uD800" }, { alg: "HS256", kid: "\uD800" }, { alg: "HS256", audience: [] }]) {
    survive("Signer", () => new Signer(key, o).sign({}));
  }
  for (const a of [...NON_STRINGS, "", "none", "HS256", "ES256K", "\uD800", "RS256\u0000"]) {
    survive("generateKeyPair", () => generateKeyPair(a));
    survive("generateKeyPair kid", () => generateKeyPair("EdDSA", { kid: a }));
  }
  for (const k of NON_STRINGS) survive("KeySet.of", () => KeySet.of([k]));
  for (const k of [Key.fromSecret(SECRET), generateKeyPair("ES256").publicKey]) survive("toPublicJwk", () => k.toPublicJwk());
});

test("after all of that, the same instance still verifies and signs", () => {
  assert.ok(stats.calls > 2000, `only ${stats.calls} calls`);
  assert.ok(stats.jwtError > 500, `only ${stats.jwtError} JwtErrors`);
  const key = Key.fromSecret(SECRET);
  const r = new Verifier(key, { algorithms: ["HS256"], issuer: "https://issuer.example", currentDate: NOW }).verify(goodToken());
  assert.equal(r.payload.sub, "user-1");
  const { privateKey, publicKey } = generateKeyPair("ES256");
  const t = new Signer(privateKey, { alg: "ES256" }).sign({ ok: true });
  assert.equal(verify(t, publicKey, { algorithms: ["ES256"] }).payload.ok, true);
  assert.equal(decode(hmacToken({ alg: "HS256" }, { fine: 1 })).payload.fine, 1);
  assert.throws(() => decode("bad"), JwtError);
});
