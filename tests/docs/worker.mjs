// The Worker harness of the docs tests: a block that is a Worker (`export default { fetch }`) is
// bundled as Wrangler would (tests/workerd/workerd.mjs) and run in workerd (Miniflare), with the
// [vars] of the wrangler.toml block above it as bindings; its outgoing fetches (the JWKS) go to the
// docs key server, like every remote URL in these tests. It must answer a request bearing a valid
// token with 200.
import { Miniflare } from "miniflare";
import { bundleWorker } from "../workerd/workerd.mjs";

/**
 * What a wrangler.toml block binds: `{ vars, kvNamespaces, durableObjects }` — the [vars] table,
 * each [[kv_namespaces]] `binding`, each [[durable_objects.bindings]] `name` = `class_name` (SQLite
 * backed, as a `new_sqlite_classes` migration makes them). Enough TOML for a README.
 */
export function tomlBindings(toml) {
  const vars = {};
  const kvNamespaces = [];
  const durableObjects = {};
  let table = null;
  let item = {};
  const flush = () => {
    if (table === "kv_namespaces" && item.binding) kvNamespaces.push(item.binding);
    if (table === "durable_objects.bindings" && item.name && item.class_name) {
      durableObjects[item.name] = { className: item.class_name, useSQLite: true };
    }
    item = {};
  };
  for (const line of (toml ?? "").split("\n")) {
    const section = /^\s*\[\[?([\w.]+)\]\]?\s*$/.exec(line);
    if (section) {
      flush();
      table = section[1];
      continue;
    }
    const pair = /^\s*(\w+)\s*=\s*"([^"]*)"\s*$/.exec(line);
    if (!pair) continue;
    if (table === "vars") vars[pair[1]] = pair[2];
    else item[pair[1]] = pair[2];
  }
  flush();
  return { vars, kvNamespaces, durableObjects };
}

/** Runs the Worker in `file` and returns `{ status, body }` of a request with `token`. */
export async function runWorker({ file, outdir, bindings, origin, token }) {
  const bundle = await bundleWorker(file, outdir);
  const mf = new Miniflare({
    modulesRoot: outdir,
    modules: bundle.modules,
    compatibilityDate: "2026-04-01",
    bindings: bindings.vars,
    kvNamespaces: bindings.kvNamespaces,
    durableObjects: bindings.durableObjects,
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
