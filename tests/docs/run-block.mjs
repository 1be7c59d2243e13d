// Runs one generated block file (ESM or CommonJS) and exits when its top level has finished:
// a block may leave a connection open (a Redis client, a key set's timers) as real code would.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const file = process.argv[2];
try {
  if (file.endsWith(".cjs")) createRequire(import.meta.url)(file);
  else await import(pathToFileURL(file).href);
  process.exit(0);
} catch (e) {
  console.error(e);
  process.exit(1);
}
