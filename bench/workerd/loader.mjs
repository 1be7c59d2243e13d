// The parent Worker of bench/coldstart-workerd.mjs: it starts a fresh isolate per request with
// workerd's Worker Loader (`env.LOADER.get(id, ...)`, a new id each time), so every sample pays
// for a new isolate, loading the bundle (its .wasm compiled by workerd), the top level and the
// first request, as a Worker's cold start does, without the noise of starting a workerd process.
// POST /setup with the bundles ({ name: { mainModule, modules: { file: { js } | { wasm: base64 } } } });
// GET /cold?variant=&id= answers what the fresh Worker answered.
let bundles = null;

function decode(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/setup") {
      bundles = {};
      for (const [name, b] of Object.entries(await request.json())) {
        const modules = {};
        for (const [file, m] of Object.entries(b.modules)) modules[file] = m.wasm ? { wasm: decode(m.wasm) } : m;
        bundles[name] = { mainModule: b.mainModule, modules };
      }
      return new Response("ok");
    }
    if (url.pathname === "/cold") {
      const b = bundles?.[url.searchParams.get("variant")];
      if (!b) return new Response("unknown variant", { status: 404 });
      const worker = env.LOADER.get(url.searchParams.get("id"), async () => ({
        compatibilityDate: "2026-04-01",
        mainModule: b.mainModule,
        modules: b.modules,
        globalOutbound: null,
      }));
      return worker.getEntrypoint().fetch("http://bench/");
    }
    return new Response("not found", { status: 404 });
  },
};
