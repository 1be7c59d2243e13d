// The published package itself: `npm pack` of pkg/ holds exactly the files the runtimes load,
// every import inside it resolves inside it, its generated files match their sources, publint
// and attw (are the types wrong) find nothing, and the exports map sends each runtime and
// bundler to the entry written for it. The fixtures (node.test.mjs, bundlers.test.mjs) then
// install this same tarball and run it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { pack, run } from "./helpers.mjs";

/** Every file of the tarball, and which runtime needs it. Anything else is a packaging bug. */
const EXPECTED_FILES = [
  "package.json", // npm: name, exports map, sideEffects, engines
  "README.md", // npm: the registry page
  "LICENSE-MIT", // the licence, MIT OR Apache-2.0 (copied from the repository root by the build)
  "LICENSE-APACHE", // likewise
  "index.cjs", // Node require: loads index.node.mjs through require(esm), so both share one wasm instance
  "index.node.mjs", // Node and Bun import: the slim nodejs bindings, node:crypto signs, verifies and generates
  "index.deno.mjs", // Deno: the slim web bindings from the hex .wasm (no permission needed), node:crypto
  "index.browser.mjs", // browsers, Vite, esbuild, webpack, "worker" and default: the slim .wasm as hex text, WebCrypto
  "index.workerd.mjs", // Cloudflare Workers: imports the slim .wasm as a compiled WebAssembly.Module
  "index.d.ts", // types for require (and the top-level "types" of older resolvers)
  "index.d.mts", // types for import and every ESM entry
  "full/index.cjs", // jwtward/full for Node require: full/index.node.mjs through require(esm)
  "full/index.node.mjs", // jwtward/full for Node and Bun: the full nodejs bindings, node:crypto as before
  "full/index.deno.mjs", // jwtward/full for Deno: the full web bindings from the hex .wasm, node:crypto
  "full/index.browser.mjs", // jwtward/full in browsers, bundlers, "worker" and default: the full .wasm as hex text
  "full/index.workerd.mjs", // jwtward/full in Cloudflare Workers: the full .wasm as a compiled module
  "full/index.d.ts", // types of jwtward/full for require: index.d.ts re-exported
  "full/index.d.mts", // types of jwtward/full for import: index.d.mts re-exported
  "decode.mjs", // jwtward/decode: decode and decodeHeader alone, plain JavaScript, no wasm
  "decode.cjs", // jwtward/decode for require: the ES module through require(esm), one copy of the code
  "decode.d.ts", // types of jwtward/decode for require (the shapes of index.d.ts)
  "decode.d.mts", // types of jwtward/decode for import (the shapes of index.d.mts)
  "cloudflare.mjs", // jwtward/cloudflare: DurableObjectStore and its Durable Object class, plain JavaScript, no wasm
  "cloudflare.cjs", // jwtward/cloudflare for require: the ES module through require(esm)
  "cloudflare.d.ts", // types of jwtward/cloudflare for require
  "cloudflare.d.mts", // types of jwtward/cloudflare for import
  "src/package.json", // { "type": "module" }: the files of src/ are ES modules
  "src/errors.js", // JwtError, the argument error and the one conversion of core errors
  "src/decode.js", // decode and decodeHeader: the core's checks and messages, in JavaScript
  "src/api.js", // createApi: every concern composed over one core, and EXPORT_NAMES, the one export list
  "src/tables.js", // algorithm names, limits and error codes, checked against the core's
  "src/options.js", // option names and validators
  "src/key.js", // Key
  "src/key-set.js", // KeySet
  "src/verifier.js", // Verifier, verify, checkClaims
  "src/revocation.js", // verifyAsync's isRevoked check
  "src/decode-core.js", // decode and decodeHeader of the main entries, by the core
  "src/signer.js", // Signer, generateKeyPair
  "src/bearer.js", // bearerToken
  "src/remote-key-set.js", // remoteKeySet
  "src/jwks-response.js", // reading a JWKS response: size limit, body, max-age
  "src/discovery.js", // discover and remoteKeySetFromIssuer: OIDC / RFC 8414 metadata
  "src/jwks-stores.js", // kvJwksStore and cacheApiJwksStore: a key set shared between Worker isolates
  "src/token-cache.js", // the opt-in verified-token cache
  "src/refresh-tokens.js", // RefreshTokens, generateRefreshToken, hashToken
  "src/stores/contract.js", // the RefreshStore contract's checks
  "src/stores/memory.js", // MemoryStore
  "src/stores/redis.js", // RedisStore
  "src/stores/redis-scripts.js", // RedisStore's and RedisClusterStore's Lua scripts
  "src/stores/redis-client.js", // the commands both Redis stores send, for node-redis and ioredis
  "src/stores/redis-cluster.js", // RedisClusterStore
  "src/cloudflare/store.js", // DurableObjectStore (jwtward/cloudflare)
  "src/cloudflare/object.js", // JwtwardRefreshObject, the Durable Object behind it
  "src/cloudflare/protocol.js", // the checked wire between the two
  "src/web-runtime.js", // the browser and workerd entries' backends (WebCrypto for verifyAsync)
  "src/hosts/node-crypto.js", // Node, Deno and Bun: RSA, ECDSA and Ed25519 by node:crypto (host protocol v2)
  "src/hosts/webcrypto.js", // browsers and workerd: verifyAsync, signAsync and generateKeyPairAsync by WebCrypto
  "dist/slim/node/jwtward_core.js", // the slim module's nodejs glue (CommonJS; reads ../web/jwtward_core_bg.wasm)
  "dist/slim/web/jwtward_core.js", // the slim module's web glue (ESM, initSync): browser, workerd and Deno entries
  "dist/slim/web/package.json", // { "type": "module" } for that .js, so Node-based tools parse it as ESM
  "dist/slim/web/jwtward_core_bg.wasm", // the slim .wasm (no RSA/ECDSA/Ed25519 arithmetic): read by Node, imported by workerd
  "dist/slim/web/jwtward_core_wasm.mjs", // the same .wasm as hex text, decoded at import: browsers, bundlers and Deno, no configuration
  "dist/node/jwtward_core.js", // jwtward/full: the full module's nodejs glue (reads ../web/jwtward_core_bg.wasm)
  "dist/web/jwtward_core.js", // jwtward/full: the full module's web glue (ESM, initSync)
  "dist/web/package.json", // { "type": "module" } for that .js, so Node-based tools parse it as ESM
  "dist/web/jwtward_core_bg.wasm", // jwtward/full: the full .wasm, read by Node, imported by workerd
  "dist/web/jwtward_core_wasm.mjs", // jwtward/full: the same .wasm as hex text, browsers, bundlers and Deno
];
// Left out on purpose: tests, source maps, and wasm-bindgen's own .d.ts files (internal
// bindings; the public types are index.d.ts/index.d.mts).

/** The modules whose evaluation instantiates the wasm: bundlers must keep them even when only re-exports are used. */
const SIDE_EFFECTS = ["./index.cjs", "./index.node.mjs", "./index.deno.mjs", "./index.browser.mjs", "./index.workerd.mjs"];
SIDE_EFFECTS.push(...SIDE_EFFECTS.map((entry) => entry.replace("./", "./full/")));

/**
 * Which file each runtime and bundler loads, from the condition names it sets (their docs and
 * sources; the order of the keys in the exports map decides). The README's table says the same.
 */
const RESOLUTIONS = [
  ["Node, import", ["node", "import"], "./index.node.mjs"],
  ["Node, require", ["node", "require"], "./index.cjs"],
  ["Deno 2", ["deno", "node", "import"], "./index.deno.mjs"],
  ["Bun 1, import", ["bun", "node", "import"], "./index.node.mjs"],
  ["Bun 1, require", ["bun", "node", "require"], "./index.cjs"],
  ["Cloudflare Workers (Wrangler, Miniflare)", ["workerd", "worker", "browser", "import"], "./index.workerd.mjs"],
  ["Vite 7, client build", ["module", "browser", "production", "import"], "./index.browser.mjs"],
  ["Vite 7, SSR build", ["module", "node", "production", "import"], "./index.node.mjs"],
  ["esbuild --platform=browser", ["browser", "import", "module"], "./index.browser.mjs"],
  ["esbuild --platform=neutral", ["import", "module"], "./index.browser.mjs"],
  ["esbuild --platform=node", ["node", "import", "module"], "./index.node.mjs"],
  ["webpack 5, target web", ["webpack", "production", "browser", "import", "module"], "./index.browser.mjs"],
  ["webpack 5, target webworker", ["webpack", "production", "worker", "browser", "import", "module"], "./index.browser.mjs"],
  ["webpack 5, require() in a web build", ["webpack", "production", "browser", "require", "module"], "./index.browser.mjs"],
  ["TypeScript, import (nodenext or bundler)", ["types", "node", "import"], "./index.d.mts"],
  ["TypeScript, require", ["types", "node", "require"], "./index.d.ts"],
];

/** `jwtward/full`: the same runtimes, sent to the same entries under full/. */
const FULL_RESOLUTIONS = RESOLUTIONS.map(([who, conditions, file]) => [who, conditions, file.replace("./", "./full/")]);

/** The same for `jwtward/decode`: one ES module everywhere, and a CommonJS door for require(). */
const DECODE_RESOLUTIONS = [
  ["Node, import", ["node", "import"], "./decode.mjs"],
  ["Node, require", ["node", "require"], "./decode.cjs"],
  ["Cloudflare Workers (Wrangler, Miniflare)", ["workerd", "worker", "browser", "import"], "./decode.mjs"],
  ["esbuild --platform=browser", ["browser", "import", "module"], "./decode.mjs"],
  ["webpack 5, require() in a web build", ["webpack", "production", "browser", "require", "module"], "./decode.cjs"],
  ["TypeScript, import (nodenext or bundler)", ["types", "node", "import"], "./decode.d.mts"],
  ["TypeScript, require", ["types", "node", "require"], "./decode.d.ts"],
];

/** Node's exports resolution: the first key that is "default" or an active condition and resolves. */
function resolveExports(target, conditions) {
  if (typeof target === "string") return target;
  for (const [key, value] of Object.entries(target)) {
    if (key !== "default" && !conditions.includes(key)) continue;
    const found = resolveExports(value, conditions);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Relative specifiers of a shipped file: import/export ... from, import(), require(), and
 * wasm-bindgen's `${__dirname}/...` read. Comment lines are skipped (JSDoc `import()` types).
 */
function relativeImports(text) {
  const source = text.split("\n").filter((line) => !/^\s*(\/\/|\/?\*)/.test(line)).join("\n");
  const specifiers = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](\.\.?\/[^"']+)["']/g)) specifiers.push(m[1]);
  for (const m of source.matchAll(/\$\{__dirname\}\/([^`]+)`/g)) specifiers.push(`./${m[1]}`);
  return specifiers;
}

let packed;
let root; // the unpacked tarball
let pkgJson;
const shipped = (path) => readFile(join(root, path));

before(async () => {
  packed = await pack();
  await run("tar", ["-xzf", packed.tarball, "-C", packed.dir]);
  root = join(packed.dir, "package");
  pkgJson = JSON.parse(await shipped("package.json"));
});
after(() => packed?.remove());

test("npm pack holds exactly the files the runtimes load", (t) => {
  t.diagnostic(`${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${packed.files.length} files`);
  assert.deepEqual(packed.files.map((f) => f.path).sort(), [...EXPECTED_FILES].sort());
});

test("every relative import in the shipped code resolves to a shipped file", async () => {
  const files = new Set(packed.files.map((f) => f.path));
  for (const file of files) {
    if (!/\.(c|m)?js$|\.d\.m?ts$/.test(file)) continue;
    for (const specifier of relativeImports(await shipped(file).then(String))) {
      // In a declaration file, "./x.js" and "./x.mjs" name the types "./x.d.ts" and "./x.d.mts".
      const declared = /\.d\.m?ts$/.test(file) ? specifier.replace(/\.(m?)js$/, ".d.$1ts") : specifier;
      const target = normalize(join(dirname(file), declared));
      assert.ok(files.has(target), `${file} imports ${specifier}, which is not in the tarball`);
    }
  }
});

test("generated files in the tarball match their sources (a fresh build)", async () => {
  const dts = String(await shipped("index.d.ts"));
  assert.ok(String(await shipped("index.d.mts")).endsWith(dts), "index.d.mts is not index.d.ts: run scripts/build.sh");
  for (const dir of ["dist/web", "dist/slim/web"]) {
    const hex = String(await shipped(`${dir}/jwtward_core_wasm.mjs`)).match(/export default hexToBytes\("([0-9a-f]+)"\);/)[1];
    assert.ok(Buffer.from(hex, "hex").equals(await shipped(`${dir}/jwtward_core_bg.wasm`)), `${dir}: the hex copy is not the shipped .wasm`);
  }
  // The two modules are two: the slim one has no asymmetric arithmetic, so it is the smaller.
  const [full, slim] = await Promise.all(["dist/web", "dist/slim/web"].map((dir) => shipped(`${dir}/jwtward_core_bg.wasm`)));
  assert.ok(slim.length < full.length, `slim .wasm ${slim.length} bytes, full ${full.length}`);
});

test("publint on the tarball: no errors, warnings or suggestions", async () => {
  const tarball = await readFile(packed.tarball);
  const { messages, pkg } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length) }, level: "suggestion", strict: true });
  assert.deepEqual(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`), []);
});

test("attw (are the types wrong) on the tarball: no problems in node10, node16 CJS and ESM, bundler", async () => {
  const attw = fileURLToPath(new URL("../../node_modules/.bin/attw", import.meta.url));
  // attw exits 1 when it finds problems; the JSON on stdout says which either way.
  const { stdout } = await run(attw, [packed.tarball, "--format", "json"], { maxBuffer: 64 << 20 }).catch((e) => e);
  const { analysis } = JSON.parse(stdout);
  assert.deepEqual(Object.keys(analysis.entrypoints), Object.keys(pkgJson.exports));
  assert.deepEqual(analysis.problems, []);
});

test("exports map: each runtime and bundler gets the entry written for it", () => {
  for (const [who, conditions, expected] of RESOLUTIONS) {
    assert.equal(resolveExports(pkgJson.exports["."], conditions), expected, who);
  }
  for (const [who, conditions, expected] of FULL_RESOLUTIONS) {
    assert.equal(resolveExports(pkgJson.exports["./full"], conditions), expected, `jwtward/full, ${who}`);
  }
  for (const [who, conditions, expected] of DECODE_RESOLUTIONS) {
    assert.equal(resolveExports(pkgJson.exports["./decode"], conditions), expected, `jwtward/decode, ${who}`);
  }
  assert.equal(pkgJson.exports["./package.json"], "./package.json");
});

test("package.json: type, main, module, types, sideEffects, engines, files, no dependencies", () => {
  const { type, main, module, types, sideEffects, engines, files } = pkgJson;
  assert.deepEqual({ type, main, module, types }, { type: "commonjs", main: "./index.cjs", module: "./index.browser.mjs", types: "./index.d.ts" });
  assert.deepEqual(sideEffects, SIDE_EFFECTS);
  for (const key of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]) assert.equal(pkgJson[key], undefined, key);
  // require(esm), which index.cjs and decode.cjs rely on, is on by default from Node 20.19.
  const [major, minor] = (/^>=(\d+)\.(\d+)$/.exec(engines.node) ?? []).slice(1).map(Number);
  assert.ok(major > 20 || (major === 20 && minor >= 19), `engines.node ${engines.node}`);
  const [ourMajor, ourMinor] = process.versions.node.split(".").map(Number);
  assert.ok(ourMajor > major || (ourMajor === major && ourMinor >= minor), `engines.node ${engines.node}, this Node ${process.versions.node}`);
  // npm skips a `files` entry that matches nothing without a word: each must match something.
  for (const entry of files) {
    assert.ok(packed.files.some((f) => f.path === entry || f.path.startsWith(entry.endsWith("/") ? entry : `${entry}/`)), `files: ${entry} matches nothing`);
  }
});
