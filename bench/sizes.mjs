// What a user downloads: each core's .wasm (raw and gzip -9), and a minified browser bundle of
// an app that imports `Verifier`, `Key` and `remoteKeySet` (esbuild, platform "browser", ESM,
// minify; the .wasm travels inside it as hex text, as the browser entries carry it), from the
// default entry and from `jwtward/full`; and `jwtward/decode` alone (its own benchmark is
// bench/decode-size.mjs, results in bench/DECODE_SIZE.md; the same measurement is repeated here
// so one run holds every size).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { ROOT, describe } from "./entries.mjs";

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

function file(path) {
  const bytes = readFileSync(join(ROOT, path));
  // As a browser bundle carries it: hex text (scripts/gen-esm.mjs), which gzip compresses a little
  // less well than the bytes; base64, as the entries carried it before, for comparison.
  return {
    raw: bytes.length,
    gzip: gz(bytes),
    hexGzip: gz(Buffer.from(bytes.toString("hex"))),
    base64Gzip: gz(Buffer.from(bytes.toString("base64"))),
  };
}

async function bundle(source, dir, name) {
  const entry = join(dir, `${name}.mjs`);
  writeFileSync(entry, source);
  const out = join(dir, `${name}.out.mjs`);
  const { metafile } = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    outfile: out,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    // Only the stand-in entry imports a .wasm directly; `binary` inlines it as base64.
    loader: { ".wasm": "binary" },
    metafile: true,
    logLevel: "silent",
  });
  const bytes = readFileSync(out);
  const inputs = Object.keys(metafile.inputs);
  const core = inputs.some((i) => i.includes("dist/slim/")) ? "slim" : inputs.some((i) => i.includes("dist/web/")) ? "full" : "none";
  return { raw: bytes.length, gzip: gz(bytes), core };
}

/** Every size, in bytes. */
export async function runSizes({ log = () => {} } = {}) {
  const entries = describe().browser;
  const dir = mkdtempSync(join(ROOT, "bench", ".cold-sizes-"));
  try {
    const app = (spec) => `export { Verifier, Key, remoteKeySet } from ${JSON.stringify(spec)};\n`;
    const out = {
      wasm: {
        default: file("pkg/dist/slim/web/jwtward_core_bg.wasm"),
        full: file("pkg/dist/web/jwtward_core_bg.wasm"),
      },
      bundle: {
        default: { ...(await bundle(app(entries.default.spec), dir, "default")), how: entries.default.how },
        full: { ...(await bundle(app(entries.full.spec), dir, "full")), how: entries.full.how },
        decode: { ...(await bundle(`export { decode, decodeHeader } from "jwtward/decode";\n`, dir, "decode")), how: "jwtward/decode" },
      },
    };
    log("sizes done");
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runSizes(), null, 2));
}
