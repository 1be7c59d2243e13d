// Fails when fuzz/Cargo.lock resolves a crate the library also uses to a different version than
// Cargo.lock: the fuzz targets must exercise the dependencies that ship, not whatever was newest
// when the fuzz workspace was last resolved. Fix with
// `cd fuzz && cargo update -p <crate> --precise <version in Cargo.lock>`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const versions = (path) => {
  const out = new Map();
  const text = readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
  for (const [, name, version] of text.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/g)) {
    out.set(name, [...(out.get(name) ?? []), version].sort());
  }
  return out;
};
// What ships: the library's normal and build dependencies, for every target. Not every crate in
// Cargo.lock: dev-dependencies (jsonwebtoken for the interop tests) bring older versions of the
// same crates, which the library never uses.
const shipped = new Map();
const tree = execFileSync("cargo", ["tree", "--locked", "-e", "normal,build", "--target", "all", "--prefix", "none", "-f", "{p}"], {
  cwd: new URL("..", import.meta.url),
  encoding: "utf8",
});
for (const [, name, version] of tree.matchAll(/^(\S+) v(\S+)/gm)) {
  const seen = shipped.get(name) ?? [];
  if (!seen.includes(version)) shipped.set(name, [...seen, version].sort());
}
const fuzzed = versions("fuzz/Cargo.lock");
if (shipped.size === 0 || fuzzed.size === 0) throw new Error("could not read the Cargo.lock files");
const drift = [...fuzzed]
  .filter(([name, v]) => shipped.has(name) && shipped.get(name).join() !== v.join())
  .map(([name, v]) => `${name}: fuzz/Cargo.lock has ${v.join(", ")}, Cargo.lock has ${shipped.get(name).join(", ")}`);
if (drift.length > 0) {
  console.error(`fuzz/Cargo.lock differs from Cargo.lock:\n  ${drift.join("\n  ")}`);
  process.exit(1);
}
