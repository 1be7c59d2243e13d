// The packed tarball installed into app projects and built by each bundler as a user would run
// it: Vite 7's default `vite build`, `esbuild --bundle --format=esm --platform=browser`, and
// webpack 5 with entry, output and mode only. No loader, plugin or wasm setting anywhere: if a
// bundler needed one, that would be a packaging bug. Two apps per bundler: one importing
// `jwtward` (fixtures/vite, esbuild, webpack: the default browser entry, on the slim module) and
// one importing `jwtward/full` (fixtures/browser-full-*: the full module). Each build must hold
// its entry's .wasm as hex text, once, and neither the other module nor the workerd entry, and is
// then served from 127.0.0.1 and opened in Debian's Chromium (playwright-core), where the
// runtime smoke suite runs; every result is a test here. fixtures/browser-size measures what a
// verifying app (Verifier, Key, remoteKeySet from the default entry) weighs, minified and gzipped.
// The bundlers are the root devDependencies, driven through their JS APIs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { brotliCompressSync, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { build as viteBuild, createLogger } from "vite";
import webpack from "webpack";
import { install, pack } from "./helpers.mjs";

/** Each bundler's build of a fixture; returns its warnings, less the expected "large bundle" ones (the .wasm is 1.5 MB). */
const BUNDLERS = {
  async vite(dir) {
    const warnings = [];
    const logger = createLogger("warn");
    logger.warn = logger.warnOnce = (message) => warnings.push(message);
    await viteBuild({ root: dir, configFile: false, logLevel: "warn", customLogger: logger });
    return warnings.filter((w) => !/Some chunks are larger than \d+ kB after minification/.test(w));
  },
  async esbuild(dir) {
    const result = await esbuild.build({ entryPoints: [join(dir, "main.js")], bundle: true, format: "esm", platform: "browser", outdir: join(dir, "dist"), logLevel: "silent" });
    return result.warnings.map((w) => w.text);
  },
  async webpack(dir) {
    const { default: config } = await import(pathToFileURL(join(dir, "webpack.config.mjs")).href);
    const stats = await promisify(webpack)(config);
    if (stats.hasErrors()) throw new Error(stats.toString("errors-only"));
    const sizeHints = ["AssetsOverSizeLimitWarning", "EntrypointsOverSizeLimitWarning", "NoAsyncChunksWarning"];
    return stats.compilation.warnings.filter((w) => !sizeHints.includes(w.name)).map((w) => w.message);
  },
};

/** The page esbuild and webpack builds are opened in (Vite builds its own from fixtures/vite/index.html). */
const PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>jwtward</title><script type="module" src="./main.js"></script>\n';
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };

/** Every file under `dir`, as paths relative to it. */
async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)));
}

/** A static file server for `root` on 127.0.0.1 and a free port. */
async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = path.endsWith(sep) ? join(path, "index.html") : path;
    try {
      if (!file.startsWith(root)) throw new Error("outside the root");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** Opens `dist` in Chromium and returns the smoke results the page wrote; any page error or console error fails. */
async function runInChromium(dist) {
  const server = await serve(dist);
  const page = await browser.newPage();
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  const pageError = new Promise((_, reject) => page.on("pageerror", (e) => reject(new Error(`page error: ${e.stack || e.message}`))));
  try {
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const out = await Promise.race([page.waitForSelector("#smoke", { state: "attached", timeout: 60_000 }), pageError]);
    const results = JSON.parse(await out.textContent());
    assert.deepEqual(consoleErrors, [], "console errors in the page");
    return results;
  } finally {
    pageError.catch(() => {});
    await page.close();
    server.close();
  }
}

let packed;
let browser;
before(async () => {
  [packed, browser] = await Promise.all([pack(), chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS })]);
});
after(() => Promise.all([packed?.remove(), browser?.close()]));

/** The two browser entries: which fixture imports each, and which module's .wasm it must carry. */
const ENTRIES = [
  { entry: "jwtward", fixture: (name) => name, wasm: ["dist", "slim", "web"], other: ["dist", "web"] },
  { entry: "jwtward/full", fixture: (name) => `browser-full-${name}`, wasm: ["dist", "web"], other: ["dist", "slim", "web"] },
];

for (const [name, build] of Object.entries(BUNDLERS)) {
  for (const { entry, fixture, wasm: wasmDir, other } of ENTRIES) {
    test(`${name}: builds an app importing ${entry} with no configuration, and it runs in Chromium`, async (t) => {
      const dir = await install(packed.tarball, fixture(name));
      const dist = join(dir, "dist");
      await rm(dist, { recursive: true, force: true });
      assert.deepEqual(await build(dir), [], `${name} warnings`);
      const files = await listFiles(dist);
      if (!files.includes("index.html")) await writeFile(join(dist, "index.html"), PAGE);

      await t.test(`${name} bundle of ${entry} holds its browser entry (hex wasm), not the workerd one nor the other module`, async (st) => {
        const installed = join(dir, "node_modules", "jwtward");
        const wasm = await readFile(join(installed, ...wasmDir, "jwtward_core_bg.wasm"));
        const otherWasm = await readFile(join(installed, ...other, "jwtward_core_bg.wasm"));
        const scripts = await Promise.all(files.filter((f) => f.endsWith(".js")).map((f) => readFile(join(dist, f), "utf8")));
        assert.deepEqual(files.filter((f) => f.endsWith(".wasm")), [], "a .wasm file was emitted");
        assert.equal(scripts.filter((s) => s.includes(wasm.toString("hex"))).length, 1, "the hex .wasm, once");
        assert.ok(!scripts.some((s) => s.includes(otherWasm.toString("hex").slice(0, 8192))), "the other module's .wasm");
        assert.ok(!scripts.some((s) => s.includes("jwtward_core_bg.wasm")), "the workerd entry's .wasm import");
        st.diagnostic(`${name} ${entry}: ${files.join(", ")}; ${scripts.reduce((n, s) => n + s.length, 0)} bytes of JS`);
      });

      const results = await runInChromium(dist);
      assert.ok(results.length > 20, `only ${results.length} smoke results`);
      for (const r of results) await t.test(`${name} ${entry} smoke: ${r.name}`, () => assert.ok(r.ok, r.error));
    });
  }
}

/** The default entry's weight for an app that verifies: gzip (level 9) of esbuild's minified bundle of Verifier, Key and remoteKeySet. */
test("bundle size: Verifier, Key and remoteKeySet from the default entry, minified and gzipped", async (t) => {
  const dir = await install(packed.tarball, "browser-size");
  const result = await esbuild.build({ entryPoints: [join(dir, "main.js")], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "silent" });
  const [out] = result.outputFiles;
  const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
  const installed = join(dir, "node_modules", "jwtward");
  const wasm = await readFile(join(installed, "dist", "slim", "web", "jwtward_core_bg.wasm"));
  const hex = wasm.toString("hex");
  const text = out.text;
  assert.ok(text.includes(hex), "the slim module's .wasm, as hex text");
  const total = gzip(out.contents);
  const jsOnly = gzip(Buffer.from(text.replace(hex, "")));
  t.diagnostic(`minified ${out.contents.length} bytes, gzip ${total} bytes (${(total / 1024).toFixed(1)} KiB) with the .wasm as hex text; ` +
    `JS alone ${jsOnly} bytes gzip, the .wasm alone ${gzip(wasm)} bytes gzip (${wasm.length} raw); brotli of the bundle ${brotliCompressSync(out.contents).length} bytes`);
  // Target (issue 11): 200 KB gzip. Recorded rather than enforced until the slim module gets there.
  assert.ok(total < 400_000, `the verifying app is ${total} bytes gzip`);
});
