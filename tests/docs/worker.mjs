// The Worker harness of the docs tests: a block that is a Worker (`export default { fetch }`) is
// bundled as Wrangler would (tests/workerd/workerd.mjs) and run in workerd (Miniflare), with the
// [vars] of the wrangler.toml block above it as bindings; its outgoing fetches (the JWKS) go to the
// docs key server, like every remote URL in these tests. It must answer a request bearing a valid
// token with 200.
import { Miniflare } from "miniflare";
import { bundleWorker } from "../workerd/workerd.mjs";

/** The [vars] of a wrangler.toml block (string values; enough TOML for a README). */
export function tomlVars(toml) {
  const vars = {};
  let inVars = false;
  for (const line of (toml ?? "").split("\n")) {
    const section = /^\s*\[([\w.]+)\]\s*$/.exec(line);
    if (section) inVars = section[1] === "vars";
    const pair = /^\s*(\w+)\s*=\s*"([^"]*)"\s*$/.exec(line);
    if (pair && inVars) vars[pair[1]] = pair[2];
  }
  return vars;
}

/** Runs the Worker in `file` and returns `{ status, body }` of a request with `token`. */
export async function runWorker({ file, outdir, vars, origin, token }) {
  const bundle = await bundleWorker(file, outdir);
  const mf = new Miniflare({
    modulesRoot: outdir,
    modules: bundle.modules,
    compatibilityDate: "2026-04-01",
    bindings: vars,
    outboundService: async (request) => {
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      headers.set("x-docs-origin", url.origin);
      return fetch(new URL(url.pathname + url.search, origin), { method: request.method, headers });
    },
  });
  try {
    const res = await mf.dispatchFetch("https://api.example/orders", { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.text() };
  } finally {
    await mf.dispose();
  }
}
