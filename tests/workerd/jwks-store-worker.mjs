// The Worker of tests/workerd/jwks-store.test.mjs: verifies the bearer token against a remote
// key set with a shared store, configured from its bindings (STORE "kv" or "cache", JWKS_URL,
// CACHE_MAX_AGE, SWR, COOLDOWN), created once per isolate at the first request, as a real Worker
// would at module scope (no I/O may happen there). The store's background work is handed to
// ctx.waitUntil so that a refresh started by a request outlives its response.
import { Verifier, bearerToken, cacheApiJwksStore, kvJwksStore, remoteKeySet } from "jwtward";

let keys = null;
let verifier = null;

function setup(env) {
  if (verifier !== null) return;
  const store = env.STORE === "kv" ? kvJwksStore(env.JWKS_KV) : cacheApiJwksStore(caches.default);
  keys = remoteKeySet(env.JWKS_URL, {
    store,
    cacheMaxAge: env.CACHE_MAX_AGE || "10m",
    staleWhileRevalidate: env.SWR || 0,
    cooldown: env.COOLDOWN || "30s",
    timeout: "3s",
  });
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
      ctx.waitUntil(keys.settled());
    }
  },
};
