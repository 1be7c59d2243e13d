// Shared by the packaging tests: packs pkg/ exactly as `npm publish` would upload it, and
// installs that tarball into a fixture the way a user's project gets it (npm, from the file,
// offline: the package has no dependencies). Fixtures never see pkg/ itself.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const run = promisify(execFile);
export const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

/**
 * `npm pack --json` of pkg/ into a fresh temporary directory.
 * @returns {Promise<{ tarball: string, dir: string, files: { path: string, size: number }[], size: number, unpackedSize: number, remove: () => Promise<void> }>}
 */
export async function pack() {
  const dir = await mkdtemp(join(tmpdir(), "jwtward-pack-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: PKG });
  const [info] = JSON.parse(stdout);
  return { ...info, dir, tarball: join(dir, info.filename), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Installs the tarball into fixtures/<name>, replacing any earlier install; returns the fixture's directory. */
export async function install(tarball, name) {
  const dir = join(FIXTURES, name);
  await rm(join(dir, "node_modules"), { recursive: true, force: true });
  await run("npm", ["install", "--no-save", "--no-package-lock", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir });
  return dir;
}
