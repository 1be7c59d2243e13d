// Cold start in Node: a fresh Node process per sample, timing from the first line of the script
// to the end of the first verification (the import, the wasm compile and instantiation,
// building the key and verifier, one verify of an ES256 token with iss and aud checks). Node's own
// start-up is not included: it is the same for every library. Rows: jwtward's default entry (the
// slim core + node:crypto) and `jwtward/full` (found by bench/entries.mjs), each core's .wasm
// compile alone (part of the import), and the peers. Libraries are interleaved; the median of N
// samples is reported. workerd's cold start is bench/coldstart-workerd.mjs.
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fixtures, ISSUER, AUDIENCE } from "./fixtures.mjs";
import { median } from "./measure.mjs";
import { ROOT, describe, nodeImportSnippet } from "./entries.mjs";

function scripts(f) {
  const opts = JSON.stringify({ algorithms: ["ES256"], issuer: ISSUER, audience: AUDIENCE });
  const pem = JSON.stringify(f.publicPem);
  const token = JSON.stringify(f.token);
  const t = (body) => `const t0 = performance.now();\n${body}\nconsole.log(performance.now() - t0);\n`;
  const glue = describe().node.default.slim ? "pkg/dist/slim/node/jwtward_core.js" : "pkg/dist/node/jwtward_core.js";
  const compile = (wasm) =>
    `const { readFileSync } = await import("node:fs");\n` +
    `const bytes = readFileSync(${JSON.stringify(join(ROOT, wasm))});\n` +
    `const t0 = performance.now();\nnew WebAssembly.Module(bytes);\nconsole.log(performance.now() - t0);\n`;
  return {
    // What every row pays before any library: a dynamic import of a built-in and one verify by hand.
    "baseline (node:crypto by hand)": t(`const crypto = await import("node:crypto");\nconst [h, p, s] = ${token}.split(".");\ncrypto.verify("sha256", Buffer.from(h + "." + p), { key: crypto.createPublicKey(${pem}), dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));`),
    jwtward: t(`${nodeImportSnippet("default")}\nnew Verifier(Key.fromPem(${pem}), ${opts}).verify(${token});`),
    "jwtward/full": t(`${nodeImportSnippet("full")}\nnew Verifier(Key.fromPem(${pem}), ${opts}).verify(${token});`),
    // The largest single part of jwtward's import: V8 validating the .wasm (Node 20 compiles
    // function bodies lazily but validates them all up front), timed alone.
    "of which: jwtward's .wasm compile": compile(describe().node.default.slim ? "pkg/dist/slim/web/jwtward_core_bg.wasm" : "pkg/dist/web/jwtward_core_bg.wasm"),
    "of which: jwtward/full's .wasm compile": compile("pkg/dist/web/jwtward_core_bg.wasm"),
    // The other parts of the default entry's import, each alone in a fresh process: the core's
    // glue by require(), as the entry loads it (the .wasm compile and instantiation included),
    // the same glue by an ES import of CommonJS (Node's lexer reads it for export names; how the
    // entry loaded it before fe290e7), and the API's ES modules (pkg/src/, no core).
    "of which: jwtward's glue, by an ES import (Node lexes it for names)": t(`await import(${JSON.stringify(join(ROOT, glue))});`),
    "of which: jwtward's glue, by require()": t(`const { createRequire } = await import("node:module");\ncreateRequire(import.meta.url)(${JSON.stringify(join(ROOT, glue))});`),
    "of which: the API's modules (pkg/src/api.js)": t(`await import(${JSON.stringify(join(ROOT, "pkg/src/api.js"))});`),
    // The default entry's composition with its two CommonJS files (the core's glue and the host)
    // loaded by require() instead of an ES import, then key and first verification as above.
    "jwtward, composed with require() for its CommonJS parts": t(
      `const crypto = (await import("node:crypto")).default;\n` +
        `const { createRequire } = await import("node:module");\n` +
        `const require = createRequire(import.meta.url);\n` +
        `const core = require(${JSON.stringify(join(ROOT, glue))});\n` +
        `const host = require(${JSON.stringify(join(ROOT, "pkg/src/hosts/node-crypto.js"))}).createNodeCrypto;\n` +
        `const { createApi } = await import(${JSON.stringify(join(ROOT, "pkg/src/api.js"))});\n` +
        `const { Key, Verifier } = createApi(host.nodeRuntime ? host.nodeRuntime(core, crypto, undefined) : (core.setHostCrypto(host(crypto)), { core }));\n` +
        `new Verifier(Key.fromPem(${pem}), ${opts}).verify(${token});`,
    ),
    "fast-jwt": t(`const { createVerifier } = await import("fast-jwt");\ncreateVerifier({ key: ${pem}, algorithms: ["ES256"], allowedIss: "${ISSUER}", allowedAud: "${AUDIENCE}" })(${token});`),
    jose: t(`const jose = await import("jose");\nawait jose.jwtVerify(${token}, await jose.importSPKI(${pem}, "ES256"), ${opts});`),
    jsonwebtoken: t(`const { default: jwt } = await import("jsonwebtoken");\njwt.verify(${token}, ${pem}, ${opts});`),
  };
}

/** Median milliseconds per library over `samples` fresh processes. */
export function runColdStart({ samples = 15, log = () => {} } = {}) {
  const f = fixtures(["ES256"]).ES256;
  const dir = mkdtempSync(join(ROOT, "bench", ".cold-"));
  try {
    const files = {};
    for (const [lib, source] of Object.entries(scripts(f))) {
      files[lib] = join(dir, `${lib.replace(/\W+/g, "-")}.mjs`);
      writeFileSync(files[lib], source);
    }
    const times = Object.fromEntries(Object.keys(files).map((l) => [l, []]));
    const env = { ...process.env };
    delete env.JWTWARD_BACKEND; // each entry's default backend
    for (let i = 0; i < samples; i++) {
      for (const lib of Object.keys(files).sort(() => Math.random() - 0.5)) {
        const out = execFileSync(process.execPath, [files[lib]], { cwd: ROOT, encoding: "utf8", env });
        times[lib].push(Number(out.trim().split("\n").pop()));
      }
      log(`cold start ${i + 1}/${samples}`);
    }
    return Object.entries(times).map(([lib, t]) => ({ group: "cold start", alg: "ES256", lib, ms: median(t), samples: t }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of runColdStart({ samples: Number(process.env.BENCH_COLD || 15), log: (m) => process.stderr.write(`${m}\n`) })) {
    console.log(`${r.lib}\t${r.ms.toFixed(1)} ms`);
  }
}
