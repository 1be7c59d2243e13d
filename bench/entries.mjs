// Which jwtward the benchmarks measure: the default entry (`jwtward`, meant to be the SLIM core:
// no asymmetric arithmetic in its wasm, the host's crypto instead) and `jwtward/full` (the
// all-in-wasm core), in Node, in a browser bundle and in workerd.
// The package is being switched to slim-by-default while these benchmarks are written, so each
// variant is found, not assumed: an entry counts as slim when it (or a module it imports, within
// pkg/) loads `dist/slim/`. Until the default entry is slim, the "default" variant is the slim
// core composed by hand exactly as the entry will compose it (bench/entries/slim.*.mjs, or
// createApi over the slim Node bindings with the node:crypto host), and `jwtward/full` is
// today's `jwtward`. Every result says which was measured (`how`).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PKG = join(ROOT, "pkg");
const require = createRequire(import.meta.url);

/** Every file under pkg/ that `file` imports, itself included (relative specifiers only). */
function importGraph(file, seen = new Set()) {
  if (seen.has(file) || !existsSync(file)) return seen;
  seen.add(file);
  if (!/\.(m?js|cjs)$/.test(file) || file.includes(`${join("pkg", "dist")}`)) return seen;
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    importGraph(resolve(dirname(file), m[1]), seen);
  }
  return seen;
}

/** True when the entry file loads the slim core. */
export function loadsSlim(entryFile) {
  return [...importGraph(entryFile)].some((f) => f.includes(join("dist", "slim")));
}

const fullExported = () => {
  const exports = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8")).exports || {};
  return Object.hasOwn(exports, "./full");
};

/**
 * Where each variant comes from, per platform: `spec` is what to import (a package specifier or
 * an absolute path), `how` says what it is, `slim` whether its wasm is the slim core.
 */
export function describe() {
  const entry = (name) => join(PKG, name);
  const full = (name) => join(PKG, "full", name);
  const out = {};
  for (const [platform, file] of [["node", "index.node.mjs"], ["browser", "index.browser.mjs"], ["workerd", "index.workerd.mjs"]]) {
    const defaultSlim = loadsSlim(entry(file));
    const standIn = join(ROOT, "bench", "entries", `slim.${platform}.mjs`);
    out[platform] = {
      default: defaultSlim
        ? { spec: "jwtward", how: "jwtward (the package's default entry)", slim: true }
        : { spec: platform === "node" ? null : standIn, how: "slim core composed by hand as the default entry will be (the package's default entry still loads the full core)", slim: true, standIn: true },
      full: existsSync(full(file)) && fullExported()
        ? { spec: "jwtward/full", how: "jwtward/full", slim: loadsSlim(full(file)) }
        : { spec: "jwtward", how: "jwtward (today's default entry: the full core)", slim: defaultSlim },
    };
  }
  return out;
}

/** A fresh instance of a wasm-bindgen Node glue module (its own wasm instance and host slot). */
function freshCore(glue) {
  const path = require.resolve(glue);
  const saved = require.cache[path];
  delete require.cache[path];
  try {
    return require(path);
  } finally {
    if (saved) require.cache[path] = saved;
    else delete require.cache[path];
  }
}

/** The slim core with node:crypto as its host, composed as pkg/index.node.mjs composes its core. */
export async function slimNodeApi() {
  const crypto = (await import("node:crypto")).default;
  const { createApi } = await import("../pkg/src/api.js");
  const { createNodeCrypto } = require("../pkg/src/hosts/node-crypto.js");
  const core = freshCore("../pkg/dist/slim/node/jwtward_core.js");
  core.setHostCrypto(createNodeCrypto(crypto));
  const hashToken = typeof crypto.hash === "function"
    ? (token) => crypto.hash("sha256", token, "base64url")
    : (token) => crypto.createHash("sha256").update(token).digest("base64url");
  return createApi({ core, hashToken });
}

/** The Node APIs to measure: `{ default: { api, how }, full: { api, how } }`. */
export async function nodeApis() {
  const d = describe().node;
  return {
    default: { api: d.default.spec ? await import(d.default.spec) : await slimNodeApi(), how: d.default.how },
    full: { api: await import(d.full.spec), how: d.full.how },
  };
}

/**
 * Source text that binds `{ Key, Verifier }` of a variant in a fresh Node process (for the
 * cold start), e.g. `const { Key, Verifier } = ...;`.
 */
export function nodeImportSnippet(variant) {
  const d = describe().node[variant];
  if (d.spec) return `const { Key, Verifier } = await import(${JSON.stringify(d.spec)});`;
  const abs = (p) => JSON.stringify(join(ROOT, p));
  return [
    `const crypto = (await import("node:crypto")).default;`,
    `const { createRequire } = await import("node:module");`,
    `const require = createRequire(import.meta.url);`,
    `const core = require(${abs("pkg/dist/slim/node/jwtward_core.js")});`,
    `core.setHostCrypto(require(${abs("pkg/src/hosts/node-crypto.js")}).createNodeCrypto(crypto));`,
    `const { createApi } = await import(${abs("pkg/src/api.js")});`,
    `const { Key, Verifier } = createApi({ core });`,
  ].join("\n");
}
