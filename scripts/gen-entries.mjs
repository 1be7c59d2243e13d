// Writes the export lines of the package's entry files from EXPORT_NAMES (pkg/src/api.js), the
// one export list. Each entry builds `api` with createApi and ends with a marked statement,
// `export const { ...names } = api;`: ES modules need their export names spelled out, and this
// keeps that spelling generated rather than kept in step by hand. The rest of each entry is
// hand-written; only the statement after the marker is replaced.
//   node scripts/gen-entries.mjs           rewrite the entries
//   node scripts/gen-entries.mjs --check   exit 1 if an entry is stale (run by scripts/test.sh)
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXPORT_NAMES } from "../pkg/src/api.js";

const pkg = fileURLToPath(new URL("../pkg/", import.meta.url));
const MARKER = "// The export list: generated from EXPORT_NAMES (src/api.js) by scripts/gen-entries.mjs; do not edit.";
/** The entries: every `index*.mjs` at the package root and under `full/` (jwtward/full). */
const ENTRIES = ["", "full/"].flatMap((dir) => {
  let names;
  try {
    names = readdirSync(join(pkg, dir));
  } catch {
    return [];
  }
  return names.filter((f) => /^index.*\.mjs$/.test(f)).map((f) => dir + f);
});
if (ENTRIES.length === 0) throw new Error("no pkg/index*.mjs entry found");
const WIDTH = 110;

/** `export const { a, b, ... } = api;`, wrapped at WIDTH columns. */
function exportStatement(names) {
  const lines = [];
  let line = "export const {";
  for (const [i, name] of names.entries()) {
    const word = ` ${name}${i === names.length - 1 ? " } = api;" : ","}`;
    if (line.length + word.length > WIDTH) {
      lines.push(line);
      line = ` ${word}`;
    } else {
      line += word;
    }
  }
  lines.push(line);
  return lines.join("\n");
}

/** The entry's text with its marked statement regenerated. */
function generate(file, text) {
  const at = text.indexOf(`${MARKER}\n`);
  if (at === -1) throw new Error(`pkg/${file}: no "${MARKER}" line`);
  const start = at + MARKER.length + 1;
  const end = text.indexOf("} = api;", start);
  if (end === -1 || !text.startsWith("export const {", start)) throw new Error(`pkg/${file}: the line after the marker must start "export const {" and end "} = api;"`);
  return `${text.slice(0, start)}${exportStatement(EXPORT_NAMES)}${text.slice(end + "} = api;".length)}`;
}

const check = process.argv.includes("--check");
const stale = [];
for (const file of ENTRIES) {
  const path = join(pkg, file);
  const text = readFileSync(path, "utf8");
  const wanted = generate(file, text);
  if (wanted === text) continue;
  if (check) stale.push(file);
  else writeFileSync(path, wanted);
}
if (stale.length > 0) {
  console.error(`stale export lines in pkg/${stale.join(", pkg/")}: run node scripts/gen-entries.mjs`);
  process.exit(1);
}
