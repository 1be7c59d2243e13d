// Preloaded to run the JS suite against jwtward/full instead of jwtward:
//   node --import ./tests/js/full-entry.mjs --test tests/js/...
// Every "jwtward" a test imports or requires (and every child process it starts, through
// NODE_OPTIONS) then resolves to "jwtward/full"; "jwtward/decode" and the like are unchanged.
// process.env.JWTWARD_ENTRY says which entry runs ("full" here; unset: the default).
import Module, { register } from "node:module";
import { fileURLToPath } from "node:url";

process.env.JWTWARD_ENTRY = "full";
// Child processes (tests that start `node -e ...`) load this file too.
const self = fileURLToPath(import.meta.url);
if (!(process.env.NODE_OPTIONS || "").includes(self)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS || ""} --import=${self}`.trim();
}

// import and import(): an ESM resolve hook.
register(
  "data:text/javascript," +
    encodeURIComponent(
      'export async function resolve(specifier, context, next) { return next(specifier === "jwtward" ? "jwtward/full" : specifier, context); }',
    ),
);

// require() and createRequire(): the CommonJS resolver (module.register's hooks do not see it in Node 20).
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, request === "jwtward" ? "jwtward/full" : request, ...rest);
};
