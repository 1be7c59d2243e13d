// The Worker that bench/workerd.mjs runs in workerd (Miniflare): jwtward (bundled through its
// `workerd` export condition, the .wasm as a compiled module) side by side with jose. POST
// /setup with the fixtures (JWKs and tokens); GET /run?lib=&alg=&n= runs n verifications and
// answers how many succeeded. workerd freezes the clock while a request runs, so the timing is
// done outside, around each request.
import * as jw from "jwtward";
import * as jose from "jose";

const ISSUER = "https://issuer.example";
const AUDIENCE = "api";
let cases = null;

async function setup(fixtures) {
  const out = {};
  for (const [alg, f] of Object.entries(fixtures)) {
    const hs = alg.startsWith("HS");
    const key = hs ? jw.Key.fromSecret(f.secret) : jw.Key.fromJwk(f.publicJwk);
    const opts = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
    const verifier = new jw.Verifier(key, opts);
    const cached = new jw.Verifier(key, { ...opts, cache: { max: 1000 } });
    const joseKey = hs ? new TextEncoder().encode(f.secret) : await jose.importJWK(f.publicJwk, alg);
    const t = f.token;
    out[alg] = {
      "jwtward verify": () => verifier.verify(t),
      "jwtward verifyAsync": () => verifier.verifyAsync(t),
      "jwtward cache": () => cached.verify(t),
      jose: () => jose.jwtVerify(t, joseKey, opts),
    };
  }
  return out;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/setup") {
      cases = await setup(await request.json());
      return new Response("ok");
    }
    if (url.pathname === "/run") {
      const fn = cases?.[url.searchParams.get("alg")]?.[url.searchParams.get("lib")];
      const n = Number(url.searchParams.get("n") || 0);
      if (!fn) return new Response("unknown case", { status: 404 });
      let ok = 0;
      for (let i = 0; i < n; i++) {
        const r = await fn();
        if (r.payload.sub === "user-1234567890") ok++;
      }
      return new Response(String(ok));
    }
    return new Response("not found", { status: 404 });
  },
};
