// The parent Worker of bench/coldstart-workerd.mjs: it starts a fresh isolate per request with
// workerd's Worker Loader (`env.LOADER.get(id, ...)`, a new id each time), so every sample pays
// for a new isolate, loading the bundle (its .wasm compiled by workerd), the top level and the
// first request, as a Worker's cold start does, without the noise of starting a workerd process.
// V8 shares compiled wasm between isolates of one process when the bytes are the same, so each
// sample's .wasm gets a custom section of its own (a few bytes, no effect on the module): every
// sample compiles its module, as a cold isolate in a process that never saw it does.
// POST /setup with the bundles ({ name: { mainModule, modules: { file: { js } | { wasm: base64 } } } });
// GET /prepare?variant=&id= builds a sample's modules (outside the timed request);
// GET /cold?id= starts it and answers what the fresh Worker answered.
let bundles = null;
const prepared = new Map();

/** `wasm` with a custom section named "bench" holding `tag` appended: unique bytes, same module. */
function tagged(wasm, tag) {
  const payload = new TextEncoder().encode(tag);
  const body = [5, ...new TextEncoder().encode("bench"), ...payload];
  const size = [];
  let n = body.length;
  do {
    size.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>= 7;
  } while (n > 0);
  const out = new Uint8Array(wasm.byteLength + 1 + size.length + body.length);
  out.set(new Uint8Array(wasm), 0);
  out.set([0, ...size, ...body], wasm.byteLength);
  return out.buffer;
}

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
    if (url.pathname === "/prepare") {
      const b = bundles?.[url.searchParams.get("variant")];
      if (!b) return new Response("unknown variant", { status: 404 });
      const id = url.searchParams.get("id");
      const modules = {};
      for (const [file, m] of Object.entries(b.modules)) modules[file] = m.wasm ? { wasm: tagged(m.wasm, id) } : m;
      prepared.set(id, { mainModule: b.mainModule, modules });
      return new Response("ok");
    }
    if (url.pathname === "/cold") {
      const id = url.searchParams.get("id");
      const b = prepared.get(id);
      if (!b) return new Response("not prepared", { status: 404 });
      prepared.delete(id);
      const worker = env.LOADER.get(id, async () => ({
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
