// The Worker that bench/workerd.mjs runs in workerd (Miniflare): jwtward's default entry and
// `jwtward/full` (each bundled through its `workerd` export condition, its .wasm as a compiled
// module; bench/workerd.mjs maps the two `jwtward-bench-*` names to them) side by side with jose.
// POST /setup with the fixtures (JWKs and tokens) answers the cases that give the right result
// (the slim core's synchronous asymmetric `verify` throws in workerd, by design, and is left
// out); GET /run?lib=&alg=&n= runs n verifications and answers how many succeeded. workerd
// freezes the clock while a request runs, so the timing is done outside, around each request.
import * as jw from "jwtward-bench-default";
import * as full from "jwtward-bench-full";
import * as jose from "jose";

const ISSUER = "https://issuer.example";
const AUDIENCE = "api";
let cases = null;

async function setup(fixtures) {
  const out = {};
  const skipped = [];
  for (const [alg, f] of Object.entries(fixtures)) {
    const hs = alg.startsWith("HS");
    const opts = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
    const all = {};
    for (const [lib, api] of [["jwtward", jw], ["jwtward/full", full]]) {
      const verifier = new api.Verifier(hs ? api.Key.fromSecret(f.secret) : api.Key.fromJwk(f.publicJwk), opts);
      all[`${lib} verify`] = () => verifier.verify(f.token);
      all[`${lib} verifyAsync`] = () => verifier.verifyAsync(f.token);
    }
    const joseKey = hs ? new TextEncoder().encode(f.secret) : await jose.importJWK(f.publicJwk, alg);
    all.jose = () => jose.jwtVerify(f.token, joseKey, opts);
    out[alg] = {};
    for (const [lib, fn] of Object.entries(all)) {
      try {
        if ((await fn()).payload.sub !== "user-1234567890") throw new Error("wrong result");
        out[alg][lib] = fn;
      } catch (e) {
        skipped.push(`${alg} ${lib}: ${e.constructor.name}: ${e.message}`);
      }
    }
  }
  return { out, skipped };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/setup") {
      const { out, skipped } = await setup(await request.json());
      cases = out;
      return Response.json({ cases: Object.fromEntries(Object.entries(out).map(([alg, c]) => [alg, Object.keys(c)])), skipped });
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
