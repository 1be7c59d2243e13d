// The Worker of tests/workerd/jwks-store.test.mjs: verifies the bearer token against a remote
// key set with a shared store, configured from its bindings (STORE "kv" or "cache", JWKS_URL or ISSUER,
// CACHE_MAX_AGE, SWR, COOLDOWN, BACKGROUND), created once per isolate at the first request. A
// refresh started in the background must outlive the response that started it: BACKGROUND
// "option" passes `waitUntil` from "cloudflare:workers" to remoteKeySet, "settled" hands
// `keys.settled()` to ctx.waitUntil at the end of every request, "none" does neither.
import { waitUntil } from "cloudflare:workers";
import { Verifier, bearerToken, cacheApiJwksStore, kvJwksStore, remoteKeySet, remoteKeySetFromIssuer } from "jwtward";

let keys = null;
let verifier = null;

function setup(env) {
  if (verifier !== null) return;
  const store = env.STORE === "kv" ? kvJwksStore(env.JWKS_KV) : cacheApiJwksStore(caches.default);
  const options = {
    store,
    cacheMaxAge: env.CACHE_MAX_AGE || "10m",
    staleWhileRevalidate: env.SWR || 0,
    cooldown: env.COOLDOWN || "30s",
    timeout: env.TIMEOUT || "3s",
    ...(env.BACKGROUND === "option" ? { waitUntil } : {}),
  };
  // ISSUER: the set of that issuer, through its metadata (on 127.0.0.1, hence allowHttpLoopback).
  keys = env.ISSUER ? remoteKeySetFromIssuer(env.ISSUER, { ...options, allowHttpLoopback: true }) : remoteKeySet(env.JWKS_URL, options);
  verifier = new Verifier(keys, { algorithms: ["ES256"] });
}

export default {
  async fetch(request, env, ctx) {
    setup(env);
    const started = Date.now();
    try {
      const { header } = await verifier.verifyAsync(bearerToken(request) || "");
      return Response.json({ ok: true, kid: header.kid, fresh: keys.fresh, ms: Date.now() - started });
    } catch (e) {
      return Response.json({ ok: false, code: e.code, message: e.message }, { status: 401 });
    } finally {
      if (env.BACKGROUND === "settled") ctx.waitUntil(keys.settled());
    }
  },
};
