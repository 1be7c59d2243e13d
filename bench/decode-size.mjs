// The weight of `jwtward/decode` as a browser user meets it: `decode` and `decodeHeader` bundled
// by esbuild for the browser, minified, then gzipped at level 9. Run from the repository root:
//   node bench/decode-size.mjs        (writes bench/DECODE_SIZE.md)
// tests/js/decode-entry.test.mjs imports measureDecodeBundle() to hold the 8 KB budget.
import { build } from "esbuild";
import { writeFile } from "node:fs/promises";
import { cpus, platform, release } from "node:os";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The budget of issue 11: at most 8 KB gzip in a minified browser bundle. */
export const DECODE_BUDGET_GZIP = 8192;

/** Bundles an app that imports only `decode` and `decodeHeader` from `jwtward/decode`. */
export async function measureDecodeBundle() {
  const result = await build({
    stdin: {
      contents: 'export { decode, decodeHeader } from "jwtward/decode";',
      resolveDir: ROOT,
      loader: "js",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const wasm = /WebAssembly|\.wasm/.test(Buffer.from(code).toString());
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, wasm, code };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minified, gzip, wasm } = await measureDecodeBundle();
  const { version } = await import("esbuild");
  const machine = `${cpus()[0]?.model ?? "unknown CPU"} x${cpus().length}, ${platform()} ${release()}, Node ${process.version}, esbuild ${version}`;
  const text = `# \`jwtward/decode\` bundle size

Written by \`node bench/decode-size.mjs\` on ${new Date().toISOString().slice(0, 10)}; ${machine}.

An app whose only import is \`export { decode, decodeHeader } from "jwtward/decode"\`, bundled by
esbuild for the browser (\`--bundle --minify --format=esm --platform=browser\`), gzipped at level 9.

| | bytes |
|---|---:|
| minified | ${minified} |
| minified + gzip -9 | ${gzip} |
| budget (gzip) | ${DECODE_BUDGET_GZIP} |

The bundle holds no wasm${wasm ? " (CHECK: wasm found in the bundle)" : ""}: plain JavaScript, with \`JSON.parse\`,
\`TextDecoder\` and \`TextEncoder\` from the runtime.
`;
  await writeFile(new URL("DECODE_SIZE.md", import.meta.url), text);
  console.log(text);
}
