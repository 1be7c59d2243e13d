// A runtime-agnostic smoke suite of the public API, run unchanged in every runtime the package
// targets: Node, Chromium (native ES modules and the Vite, esbuild and webpack builds) and
// workerd. It takes the imported module as an argument instead of importing "jwtward" itself,
// so each runner resolves the package the way its runtime does (export conditions, bundlers).
// Self-contained: no network (the remote key set gets an injected fetch), no Node APIs.

/** A fixed RSA key (generated for these tests only): RSA key generation inside wasm is slow. */
const RSA_PRIVATE_JWK = {"kty": "RSA", "n": "h-RnmaYllomTqTNdGQs2KOOJSDUjO9Hvr6LokYn-0xp6GQo5pc9RNxurwSZziUkEIHfaF-Nx5iQvoCDSD-WVFpXBjHpxjw1l6HilUetMuZcBd6YqjYVgIsyPPx1FCO3F4ONoj6RfPvUmtHpeRHB0-h_u5CRP73M_xXU4NJbFPZYjNleJv1WaPoVMT4X9e4cbmj0Eq9Bd71gvOj1stLVFMdusZSsonbtxvVDvi3oqDg4lISRVQhd6sS8MCF-JLWzKcat4M9dcWafk4PtbIRjR4rTaRNRwqhmdB7wbmAga4PJiDXPAQ5LSZBrx3_Jk1eGpIBSwZLjFsi-YeK2dt4p7Lw", "e": "AQAB", "d": "FRZFWUYQnnaEz68PwEYexmOLNwWVN8AmWxvYI6rFPImRmXceZkjFx9u8YEGQ5iR1cSWyqx2j3AbmI7P-xMa8cX_ARAXwFIxgsZ1JvMIwQBBbAu-_D1eQs8sIY3ktmurCrQNng1AKE6FDu00jJFL1uVE2kc0XYQcs8H11wPtbFL47SjM6UQkXaYkZ-QDLOUi8cR6IbDyZX2JI9oiBsfnOgNnEubi5DqGtA3uglf5Xb6UlIVMTLyAAjpn33cDKwo58BlOmav31HvluBUi5JVtjsoTcRW1HwBJfbvw5E3FBusGD-mFI62ZKVCBytHGHYH-oMITN5V-JROJJH63N-7CguQ", "p": "u4hMpbkzVQapN-y7-40U-EkyTj2ibLLJFS8w0SpVObSERviFwVKZZA4gS2CuLEzg83auW04PEemVLhVfQMkcB9rBRs6FxSz7CqTvXpiNM5gEhR7Z18MigOYNTkZXqH-UK_YixocAbUwRbVfGk1Ve2xqbcEHlYf_h7CJu1s_VUoM", "q": "uYGOsQAQuNR20kmhZd_QIc9RcXZioXKBNt7mpB7oZx6EQa7ujZkELHvLxZB6-39tVPJKbmXm514N_Hc-MfiHAGB_yyTiJ9hKSK8ElUwbymFUkwQfzodFhwx0NNSBIlr58AMpuTOEVIC6fu3ynP_ALyR0B4A9aPBMdvZ9Q73p5OU", "dp": "ZBaw4dpgnUa61hBRnEaGJKXcZYnbwKwDSn0vTtOLPQstdjt6F94f5Bjt_40QKLC3dvmmwTB-No82gawCdK9heIe2lDXxi3UgX2P8Jb7BzgGal_oJRnDtX2JpQ5ejfVjqGjR6Bv9SqQLqYjNw1n2_7KzcvSNOa-mICOGvypKORkU", "dq": "bXRpSjy8oSITvf5d8es-NkTKTEVK6vHSFhstQVdPT1DtPohGD1xi3xBoanjWZ8CHNSEFE-Cifo-7duSw2PFITsuhe66WlmYDZqGF9cWDfEUzjs9XKRgdyRJrGqTsUOYXJSvomXMxOF8AK1ag2Uv6DJbYs3hSQ7HNnD_SJ39OG5U", "qi": "ilaJPvzAEqQFZ2RqaANgEsq4sdhhSdjNRcumQ5fzmYtL9tgw_T9JTFGAtYePpK3AX7UO9-ZT1YEoMD9nNQNfBU3fr6FyuV_xAtCpvT932lxJLYkam33BzEcJ05d48bV6AFSIrUOYvHj0Jr6TYGYJdPpvYyXicDvYwSk_5Fs69SQ"};

const NOW = 1_700_000_000;
const enc = new TextEncoder();

function b64u(value) {
  const bytes = typeof value === "string" ? enc.encode(value) : value;
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Runs every check; never throws. Returns `[{ name, ok, error? }]`.
 * @param {typeof import("jwtward")} jw the package, as imported by the runtime under test
 * @param {{ asyncOnly?: boolean }} [opts] `asyncOnly`: the entry has RSA, ECDSA and Ed25519 only
 *   through its async methods (the default entry in browsers and workerd, on the slim module):
 *   the suite uses verifyAsync/signAsync/generateKeyPairAsync for those keys and checks that the
 *   synchronous methods refuse them with a TypeError naming the async method and jwtward/full.
 *   Otherwise it uses the synchronous methods, and checks that the async ones agree.
 */
export async function runSmoke(jw, { asyncOnly = false } = {}) {
  const results = [];
  async function check(name, fn) {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (e) {
      results.push({ name, ok: false, error: `${(e && e.name) || "Error"}: ${(e && e.message) || e}` });
    }
  }
  function assert(cond, message) {
    if (!cond) throw new Error(message);
  }
  async function rejectsCode(fn, code) {
    try {
      await fn();
    } catch (e) {
      assert(e instanceof jw.JwtError, `expected a JwtError, got ${e && e.name}: ${e && e.message}`);
      assert(e.code === code, `expected ${code}, got ${e.code}: ${e.message}`);
      return e;
    }
    throw new Error(`expected ${code}, but nothing was thrown`);
  }
  /** The synchronous call refused with the slim web entry's TypeError, naming `asyncName`. */
  function refusedSync(fn, asyncName) {
    try {
      fn();
    } catch (e) {
      assert(e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE", `expected a TypeError, got ${e && e.name} ${e && e.code}: ${e && e.message}`);
      assert(e.message.includes(asyncName) && e.message.includes("jwtward/full"), `the message names neither ${asyncName} nor jwtward/full: ${e.message}`);
      return;
    }
    throw new Error("the synchronous call worked: expected a TypeError naming the async method");
  }
  /** Asymmetric operations, through the methods this entry offers for them. */
  const generate = (alg, o) => (asyncOnly ? jw.generateKeyPairAsync(alg, o) : jw.generateKeyPair(alg, o));
  const signToken = (signer, claims, o) => (asyncOnly ? signer.signAsync(claims, o) : signer.sign(claims, o));
  const verifyToken = (verifier, token) => (asyncOnly ? verifier.verifyAsync(token) : verifier.verify(token));

  await check("every public name is exported", () => {
    for (const n of ["decode", "decodeHeader", "Key", "KeySet", "RemoteKeySet", "remoteKeySet", "Verifier", "verify", "checkClaims", "bearerToken", "JwtError", "Signer", "generateKeyPair", "generateKeyPairAsync", "generateRefreshToken", "hashToken", "RefreshTokens", "MemoryStore", "RedisStore"]) {
      assert(typeof jw[n] === "function", `${n} is ${typeof jw[n]}`);
    }
    assert(typeof jw.Signer.prototype.signAsync === "function", "Signer#signAsync");
  });

  const secret = jw.Key.fromSecret("a-smoke-test-secret-long-enough-for-hs512-0123456789abcdef0123456789");
  for (const alg of ["HS256", "HS384", "HS512"]) {
    await check(`${alg} sign and verify (synchronous in every entry), and signAsync`, async () => {
      const signer = new jw.Signer(secret, { alg, issuer: "smoke" });
      for (const token of [signer.sign({ sub: "u" }, { currentDate: NOW }), await signer.signAsync({ sub: "u" }, { currentDate: NOW })]) {
        const { payload } = jw.verify(token, secret, { algorithms: [alg], issuer: "smoke", currentDate: NOW });
        assert(payload.sub === "u" && payload.iss === "smoke", JSON.stringify(payload));
      }
    });
  }
  const rsaPrivate = jw.Key.fromJwk(RSA_PRIVATE_JWK);
  const rsaPublic = jw.Key.fromJwk(rsaPrivate.toPublicJwk());
  for (const alg of ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]) {
    await check(`${alg} sign and verify${asyncOnly ? " (async only)" : ""}`, async () => {
      const signer = new jw.Signer(rsaPrivate, { alg });
      const verifier = new jw.Verifier(rsaPublic, { algorithms: [alg] });
      const token = await signToken(signer, { sub: alg });
      assert((await verifyToken(verifier, token)).payload.sub === alg, "payload");
      if (asyncOnly) {
        refusedSync(() => signer.sign({ sub: alg }), "signAsync");
        refusedSync(() => verifier.verify(token), "verifyAsync");
      } else {
        // The async methods give what the synchronous ones give.
        assert(verifier.verify(await signer.signAsync({ sub: "a" })).payload.sub === "a", "signAsync");
        assert((await verifier.verifyAsync(token)).payload.sub === alg, "verifyAsync");
      }
    });
  }
  for (const alg of ["ES256", "ES384", "ES512", "EdDSA"]) {
    await check(`${alg} generate, sign and verify${asyncOnly ? " (async only)" : ""}`, async () => {
      const { privateKey, publicKey } = await generate(alg, { kid: alg });
      assert(privateKey.alg === alg && publicKey.alg === alg && publicKey.kid === alg && privateKey.isPrivate && !publicKey.isPrivate, "the pair's alg, kid and halves");
      const signer = new jw.Signer(privateKey, { alg, kid: alg });
      const verifier = new jw.Verifier(jw.KeySet.of([publicKey]), { algorithms: [alg] });
      const { header, payload } = await verifyToken(verifier, await signToken(signer, { sub: alg }));
      assert(header.kid === alg && payload.sub === alg, "header or payload");
      if (asyncOnly) {
        refusedSync(() => jw.generateKeyPair(alg), "generateKeyPairAsync");
        refusedSync(() => signer.sign({}), "signAsync");
      } else {
        const other = await jw.generateKeyPairAsync(alg, { kid: "async" });
        const token = await new jw.Signer(other.privateKey, { alg }).signAsync({ sub: "async" });
        assert(new jw.Verifier(other.publicKey, { algorithms: [alg] }).verify(token).payload.sub === "async", "generateKeyPairAsync + signAsync");
      }
    });
  }

  const signer = new jw.Signer(secret, { alg: "HS256", issuer: "smoke", audience: "api" });
  const verifier = new jw.Verifier(secret, { algorithms: ["HS256"], issuer: "smoke", audience: "api", currentDate: NOW });
  const good = signer.sign({ sub: "u", scope: "read" }, { currentDate: NOW });

  await check("a tampered token fails with ERR_JWS_SIGNATURE_VERIFICATION_FAILED", async () => {
    const [h, , s] = good.split(".");
    await rejectsCode(() => verifier.verify(`${h}.${b64u(JSON.stringify({ sub: "admin" }))}.${s}`), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });
  await check("an expired token fails with ERR_JWT_EXPIRED, a JwtError and an Error", async () => {
    const e = await rejectsCode(() => new jw.Verifier(secret, { algorithms: ["HS256"], currentDate: NOW + 3600 }).verify(good), "ERR_JWT_EXPIRED");
    assert(e instanceof Error && e.name === "JwtError" && e.claim === "exp", `${e.name} ${e.claim}`);
  });
  await check("alg none is refused", async () => {
    await rejectsCode(() => verifier.verify(`${b64u('{"alg":"none"}')}.${b64u('{"sub":"u"}')}.`), "ERR_JOSE_ALG_NOT_ALLOWED");
  });
  await check("a public key is never an HMAC secret (RS256 -> HS256 confusion)", async () => {
    await rejectsCode(() => jw.Key.fromSecret(JSON.stringify(rsaPrivate.toPublicJwk())), "ERR_JWK_INVALID");
    const hs = new jw.Signer(secret, { alg: "HS256" }).sign({});
    await rejectsCode(() => jw.verify(hs, rsaPublic, { algorithms: ["HS256"] }), "ERR_JWKS_NO_MATCHING_KEY");
  });
  await check("a wrong audience fails with the claim named", async () => {
    const e = await rejectsCode(() => jw.verify(good, secret, { algorithms: ["HS256"], audience: "other", currentDate: NOW }), "ERR_JWT_CLAIM_VALIDATION_FAILED");
    assert(e.claim === "aud", e.claim);
  });
  await check("a misused option is a TypeError with ERR_INVALID_ARG_VALUE", () => {
    try {
      new jw.Verifier(secret, { algorithm: ["HS256"] });
    } catch (e) {
      assert(e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE", `${e.name} ${e.code}`);
      return;
    }
    throw new Error("no error");
  });
  await check("decode and decodeHeader", () => {
    const { header, payload, signature } = jw.decode(good);
    assert(header.alg === "HS256" && payload.sub === "u" && signature.length === 43, "decoded");
    assert(jw.decodeHeader(good).typ === "JWT", "typ");
  });
  await check("checkClaims", async () => {
    jw.checkClaims({ sub: "u", exp: NOW + 10, scope: "a b" }, { requiredScopes: ["a"], currentDate: NOW });
    await rejectsCode(() => jw.checkClaims({ exp: NOW }, { currentDate: NOW }), "ERR_JWT_EXPIRED");
  });
  await check("bearerToken reads Request, Headers and strings", () => {
    const req = new Request("https://api.example/", { headers: { authorization: `Bearer ${good}` } });
    assert(jw.bearerToken(req) === good && jw.bearerToken(req.headers) === good, "request/headers");
    assert(jw.bearerToken("Basic abc") === null, "basic");
  });
  await check("KeySet.fromJwks and toJwks keep public parts only", () => {
    const set = jw.KeySet.fromJwks({ keys: [rsaPrivate.toPublicJwk(), { kty: "unknown" }] });
    assert(set.size === 1, `size ${set.size}`);
    assert(!("d" in set.toJwks().keys[0]), "private part exported");
  });
  await check("verifyAsync with isRevoked", async () => {
    const { jti } = verifier.verify(good).payload;
    await rejectsCode(() => verifier.verifyAsync(good, { isRevoked: async (id) => id === jti }), "ERR_JWT_REVOKED");
    assert((await verifier.verifyAsync(good, { isRevoked: () => false })).payload.jti === jti, "not revoked");
  });
  await check("remoteKeySet with an injected fetch, and rotation by kid", async () => {
    const a = await generate("ES256", { kid: "a" });
    const b = await generate("ES256", { kid: "b" });
    let jwks = { keys: [a.publicKey.toPublicJwk()] };
    let fetches = 0;
    const fetch = async () => {
      fetches += 1;
      return new Response(JSON.stringify(jwks), { headers: { "content-type": "application/json" } });
    };
    const remote = new jw.Verifier(jw.remoteKeySet("https://idp.example/jwks", { fetch, cooldown: 0 }), { algorithms: ["ES256"] });
    await remote.verifyAsync(await signToken(new jw.Signer(a.privateKey, { alg: "ES256", kid: "a" }), {}));
    jwks = { keys: [a.publicKey.toPublicJwk(), b.publicKey.toPublicJwk()] };
    await remote.verifyAsync(await signToken(new jw.Signer(b.privateKey, { alg: "ES256", kid: "b" }), {}));
    assert(fetches === 2, `fetches ${fetches}`);
  });
  await check("malformed input never breaks the module", async () => {
    for (const bad of ["", ".", "..", "a.b.c", "\u0000", "x".repeat(20000), `${good}.`, good.replace(/\./g, "")]) {
      try {
        verifier.verify(bad);
      } catch (e) {
        assert(e instanceof jw.JwtError, `${e && e.name}: ${e && e.message}`);
      }
    }
    assert(verifier.verify(good).payload.sub === "u", "a good token after malformed ones");
  });
  return results;
}
