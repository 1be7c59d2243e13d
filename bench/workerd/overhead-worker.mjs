// The Worker of bench/workerd-overhead.mjs: jwtward (default entry) and jose verifying the same
// tokens with `verifyAsync` / `jwtVerify`; POST /setup?stub=1 then replaces crypto.subtle.verify
// with a stub answering true, so what is timed is each library's own work around the signature.
import * as jw from "jwtward-bench-default";
import * as jose from "jose";
const ISSUER = "https://issuer.example", AUDIENCE = "api";
let cases = null;
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/setup") {
      const fx = await request.json();
      cases = {};
      for (const [alg, f] of Object.entries(fx)) {
        const opts = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE };
        const v = new jw.Verifier(jw.Key.fromJwk(f.publicJwk), opts);
        const jk = await jose.importJWK(f.publicJwk, alg);
        await v.verifyAsync(f.token); await jose.jwtVerify(f.token, jk, opts);
        cases[alg] = { jwtward: () => v.verifyAsync(f.token), jose: () => jose.jwtVerify(f.token, jk, opts) };
      }
      if (url.searchParams.get("stub")) {
        crypto.subtle.verify = async () => true;
      }
      return new Response("ok");
    }
    const fn = cases[url.searchParams.get("alg")][url.searchParams.get("lib")];
    const n = Number(url.searchParams.get("n"));
    let ok = 0;
    for (let i = 0; i < n; i++) if ((await fn()).payload.sub === "user-1234567890") ok++;
    return new Response(String(ok));
  },
};
