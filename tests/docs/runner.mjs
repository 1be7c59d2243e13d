// Runs the blocks of some Markdown documents as docs.test.mjs describes, and type-checks them:
// fixtures and the key server up, every block in its harness (PARALLEL at a time, alongside the tsc
// runs), everything down again. Used by docs.test.mjs (the READMEs) and selftest.test.mjs (a
// document of blocks that must fail, so the runner is shown to catch them).
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyze, extractBlocks } from "./blocks.mjs";
import { makeKeys, startKeyServer, valuesFor } from "./fixtures.mjs";
import { typecheck, writeProjects } from "./typecheck.mjs";
import { runWorker, tomlBindings } from "./worker.mjs";
import { startRedis } from "../js/redis-server.mjs";
import { startCluster } from "../redis-cluster/cluster.mjs";

const ts = createRequire(import.meta.url)("typescript");

const HERE = fileURLToPath(new URL(".", import.meta.url));
export const ROOT = join(HERE, "..", "..");
const BLOCK_TIMEOUT_MS = 20_000;
const PARALLEL = 3;

export const label = (block) => `${block.file}:${block.line} (${block.lang})`;

function runNode(file, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(HERE, "run-block.mjs"), file], { env: { ...process.env, ...env }, timeout: BLOCK_TIMEOUT_MS, cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim(), error: error && (error.killed ? `timed out after ${BLOCK_TIMEOUT_MS} ms` : `exit code ${error.code}`) });
    });
  });
}

/**
 * Why a block's run failed, or null when it passed: it did not run (or the Worker did not answer
 * 200), or it printed an error code (ERR_...) its own text does not name — a block that catches a
 * JwtError and prints its code would otherwise hide a fixture it refused.
 */
export function failure({ block }, result) {
  if (!result) return `${label(block)} was not run`;
  if (!result.ok) return `${label(block)} failed (${result.error}):\n${result.output}`;
  for (const code of new Set(result.output.match(/\bERR_[A-Z_]+/g) ?? [])) {
    if (!block.code.includes(code)) return `${label(block)} printed ${code}, which it does not expect:\n${result.output}`;
  }
  return null;
}

/**
 * Extracts the blocks of `documents` (paths relative to `root`), runs each and type-checks them
 * all in `modes`, with generated files under `generated` (emptied first).
 * Returns `{ entries, results: Map<entry, { ok, output, error }>, types: Map<mode, string[]> }`.
 */
export async function runDocs({ root = ROOT, documents, generated, modes = ["nodenext", "bundler"] }) {
  const entries = documents.flatMap((file) => extractBlocks(root, file)).map((block) => ({ block, plan: analyze(block) }));
  rmSync(generated, { recursive: true, force: true });
  mkdirSync(generated, { recursive: true });
  const keys = makeKeys(generated);
  const server = await startKeyServer(keys);
  let redis = null;
  // A cluster takes seconds to form: started at once, alongside everything else, when a block needs one.
  const cluster = entries.some((e) => e.plan.redisCluster) ? startCluster({ masters: 3 }) : null;
  cluster?.catch(() => {}); // awaited (and its failure reported) by the block that needs it

  async function runEntry({ block, plan }, index) {
    const values = await valuesFor(keys, plan);
    const stem = join(generated, `run-${index}-${block.file.replace(/[^\w]+/g, "_")}-L${block.line}`);
    const valuesFile = `${stem}.json`;
    writeFileSync(valuesFile, JSON.stringify(values));
    // A TypeScript block runs too, its types stripped by TypeScript's own transpiler (nothing else
    // changes); a block of declarations alone runs as an empty module.
    const code = block.lang === "ts" ? ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText : block.code;
    if (plan.module === "worker") {
      const file = `${stem}.mjs`;
      writeFileSync(file, code);
      const bindings = tomlBindings(block.toml);
      const vars = bindings.vars;
      const claims = { ...(vars.ISSUER ? { iss: vars.ISSUER } : {}), ...(vars.AUDIENCE ? { aud: vars.AUDIENCE } : {}), ...plan.claims };
      const { token } = await valuesFor(keys, { ...plan, claims });
      try {
        const res = await runWorker({ file, outdir: `${stem}-worker`, bindings, origin: server.origin, token });
        return res.status === 200 ? { ok: true, output: "" } : { ok: false, error: `the Worker answered ${res.status}`, output: res.body };
      } catch (e) {
        return { ok: false, error: "the Worker did not run", output: String(e?.stack ?? e) };
      }
    }
    const cjs = plan.module === "cjs";
    const file = `${stem}.${cjs ? "cjs" : "mjs"}`;
    const preamble = join(HERE, "preamble.cjs");
    const names = JSON.stringify(plan.needs);
    const head = cjs
      ? `const __docsFixtures = require(${JSON.stringify(preamble)});\nconst { ${plan.needs.join(", ")} } = __docsFixtures(${names});\n`
      : `import __docsFixtures from ${JSON.stringify(preamble)};\nconst { ${plan.needs.join(", ")} } = __docsFixtures(${names});\n`;
    writeFileSync(file, head + code);
    const env = { JWTWARD_DOCS_ORIGIN: server.origin, JWTWARD_DOCS_VALUES: valuesFile };
    if (plan.redis) {
      redis ??= startRedis();
      env.REDIS_URL = (await redis).url;
    }
    if (plan.redisCluster) {
      try {
        env.REDIS_CLUSTER_URL = (await cluster).rootNodes[0].url;
      } catch (e) {
        return { ok: false, error: "no Redis Cluster for it", output: String(e?.stack ?? e) };
      }
    }
    return runNode(file, env);
  }

  try {
    const projects = writeProjects(generated, entries, modes);
    // The tsc runs go alongside the blocks.
    const types = Promise.all(Object.entries(projects).map(async ([mode, dir]) => [mode, await typecheck(ROOT, dir, entries)]));
    const results = new Map();
    let next = 0;
    const lane = async () => {
      while (next < entries.length) {
        const i = next++;
        results.set(entries[i], await runEntry(entries[i], i));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));
    return { entries, results, types: new Map(await types) };
  } finally {
    await server.close();
    if (redis) await (await redis).stop();
    if (cluster) await cluster.then((c) => c.stop(), () => {});
  }
}
