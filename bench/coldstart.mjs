// Cold start: a fresh Node process per sample, timing from the first line of the script to the
// end of the first verification (the import, the wasm compile and instantiation, building the
// key and verifier, one verify of an ES256 token with iss and aud checks). Node's own start-up
// is not included: it is the same for every library. Libraries are interleaved; the median of
// N samples is reported. The `web` rows are the browser entry (the .wasm inlined as base64,
// compiled synchronously) and, for workerd, the .wasm compiled from a module and instantiated
// through the web bindings, as workerd does at Worker start-up; both run in Node's V8 here.
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { fixtures, ISSUER, AUDIENCE } from "./fixtures.mjs";
import { median } from "./measure.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function scripts(f) {
  const opts = JSON.stringify({ algorithms: ["ES256"], issuer: ISSUER, audience: AUDIENCE });
  const pem = JSON.stringify(f.publicPem);
  const token = JSON.stringify(f.token);
  const t = (body) => `const t0 = performance.now();\n${body}\nconsole.log(performance.now() - t0);\n`;
  return {
    // What every row pays before any library: a dynamic import of a built-in and one verify by hand.
    "baseline (node:crypto by hand)": t(`const crypto = await import("node:crypto");\nconst [h, p, s] = ${token}.split(".");\ncrypto.verify("sha256", Buffer.from(h + "." + p), { key: crypto.createPublicKey(${pem}), dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));`),
    jwtward: t(`const { Key, Verifier } = await import("jwtward");\nnew Verifier(Key.fromPem(${pem}), ${opts}).verify(${token});`),
    "jwtward (wasm backend)": t(`process.env.JWTWARD_BACKEND = "wasm";\nconst { Key, Verifier } = await import("jwtward");\nnew Verifier(Key.fromPem(${pem}), ${opts}).verify(${token});`),
    "jwtward web entry": t(`const { Key, Verifier } = await import(${JSON.stringify(join(ROOT, "pkg/index.browser.mjs"))});\nnew Verifier(Key.fromPem(${pem}), ${opts}).verify(${token});`),
    "jwtward as in workerd": t(
      `const { readFileSync } = await import("node:fs");\n` +
        `const module = new WebAssembly.Module(readFileSync(${JSON.stringify(join(ROOT, "pkg/dist/web/jwtward_core_bg.wasm"))}));\n` +
        `const t1 = performance.now();\n` +
        `const glue = await import(${JSON.stringify(join(ROOT, "pkg/dist/web/jwtward_core.js"))});\n` +
        `glue.initSync({ module });\n` +
        `const { createApi } = await import(${JSON.stringify(join(ROOT, "pkg/src/api.js"))});\n` +
        `const { webRuntime } = await import(${JSON.stringify(join(ROOT, "pkg/src/web-runtime.js"))});\n` +
        `const { Key, Verifier } = createApi(webRuntime(glue));\n` +
        `new Verifier(Key.fromPem(${pem}), ${opts}).verify(${token});\n` +
        `console.log(performance.now() - t1);`,
    ),
    // jwtward's largest single part: V8 validating the .wasm (Node 20 compiles function bodies
    // lazily but validates them all up front), timed alone.
    "of which: wasm compile (new WebAssembly.Module)":
      `const { readFileSync } = await import("node:fs");\n` +
      `const bytes = readFileSync(${JSON.stringify(join(ROOT, "pkg/dist/web/jwtward_core_bg.wasm"))});\n` +
      `const t0 = performance.now();\nnew WebAssembly.Module(bytes);\nconsole.log(performance.now() - t0);\n`,
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
    for (let i = 0; i < samples; i++) {
      for (const lib of Object.keys(files).sort(() => Math.random() - 0.5)) {
        const out = execFileSync(process.execPath, [files[lib]], { cwd: ROOT, encoding: "utf8", env: { ...process.env, JWTWARD_BACKEND: "" } });
        const lines = out.trim().split("\n").map(Number);
        // The workerd row prints the instantiate+first-verify time after the compile: keep both.
        times[lib].push(lines.length > 1 ? { total: lines[1], afterCompile: lines[0] } : { total: lines[0] });
      }
      log(`cold start ${i + 1}/${samples}`);
    }
    return Object.entries(times).map(([lib, t]) => ({
      group: "cold start",
      alg: "ES256",
      lib,
      ms: median(t.map((x) => x.total)),
      afterCompileMs: t[0].afterCompile === undefined ? undefined : median(t.map((x) => x.afterCompile)),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of runColdStart({ samples: Number(process.env.BENCH_COLD || 15), log: (m) => process.stderr.write(`${m}\n`) })) {
    console.log(`${r.lib}\t${r.ms.toFixed(1)} ms${r.afterCompileMs === undefined ? "" : `\t(instantiate + first verify: ${r.afterCompileMs.toFixed(1)} ms)`}`);
  }
}
