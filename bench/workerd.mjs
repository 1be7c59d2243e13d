// The benchmark in workerd: bench/workerd/worker.mjs bundled as Wrangler would (esbuild, the
// `workerd`/`worker`/`browser` export conditions, the .wasm kept as its own module) and run by
// Miniflare on 127.0.0.1. The Worker holds jwtward's default entry and `jwtward/full` (found by
// bench/entries.mjs) and jose. Each measurement is a request running n verifications, timed from
// outside (workerd's clock stands still inside a request), minus the median time of an empty
// request; cases are interleaved in a fresh random order each round and the median is kept.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { bundleWorker } from "../tests/workerd/workerd.mjs";
import { ALGS, fixtures } from "./fixtures.mjs";
import { median } from "./measure.mjs";
import { ROOT, describe } from "./entries.mjs";

export const WORKERD_LIBS = ["jwtward verify", "jwtward verifyAsync", "jwtward/full verify", "jwtward/full verifyAsync", "jose"];

/** Maps `jwtward-bench-default` / `jwtward-bench-full` to the variants bench/entries.mjs found. */
function variantsPlugin() {
  const variants = describe().workerd;
  return {
    name: "jwtward-bench-variants",
    setup(b) {
      b.onResolve({ filter: /^jwtward-bench-(default|full)$/ }, (args) =>
        b.resolve(variants[args.path.slice("jwtward-bench-".length)].spec, { kind: args.kind, resolveDir: join(ROOT, "bench") }),
      );
    },
  };
}

/** Bundles a Worker entry as Wrangler does (tests/workerd/workerd.mjs); Miniflare's module list, the entry first. */
export async function bundle(entry, outdir) {
  return (await bundleWorker(entry, outdir, { plugins: [variantsPlugin()] })).modules;
}

export async function startMiniflare(modules, dir) {
  const mf = new Miniflare({ host: "127.0.0.1", port: 0, modulesRoot: dir, modules, compatibilityDate: "2026-04-01" });
  await mf.ready;
  return mf;
}

/** Runs the workerd benchmark; returns results shaped like bench/node.mjs's. */
export async function runWorkerd({ algs = ALGS, rounds = 5, targetMs = 60, log = () => {} } = {}) {
  const dir = await mkdtemp(join(ROOT, "bench", ".cold-workerd-"));
  let mf;
  try {
    mf = await startMiniflare(await bundle(join(ROOT, "bench/workerd/worker.mjs"), dir), dir);
    const fx = fixtures(algs);
    const body = {};
    for (const [alg, f] of Object.entries(fx)) body[alg] = { secret: f.keys.secret, publicJwk: f.publicJwk, token: f.token };
    const ready = await (await mf.dispatchFetch("http://bench/setup", { method: "POST", body: JSON.stringify(body) })).json();
    for (const s of ready.skipped) log(`workerd: not run: ${s}`);
    const request = async (lib, alg, n) => {
      const t0 = performance.now();
      const res = await mf.dispatchFetch(`http://bench/run?lib=${encodeURIComponent(lib)}&alg=${alg}&n=${n}`);
      const text = await res.text();
      const dt = performance.now() - t0;
      if (res.status !== 200 || Number(text) !== n) throw new Error(`${lib} ${alg}: ${res.status} ${text}`);
      return dt;
    };
    const cases = [];
    for (const alg of algs) for (const lib of WORKERD_LIBS) if (ready.cases[alg]?.includes(lib)) cases.push({ group: "verify", alg, lib, samples: [] });
    // Calibrate n so one request takes about targetMs.
    for (const c of cases) {
      await request(c.lib, c.alg, 10);
      let n = 10;
      for (;;) {
        const dt = await request(c.lib, c.alg, n);
        if (dt >= targetMs / 2 || n >= 1 << 20) {
          c.n = Math.max(1, Math.round((n * targetMs) / dt));
          break;
        }
        n *= 4;
      }
    }
    for (let r = 0; r < rounds; r++) {
      const empty = [];
      for (let i = 0; i < 7; i++) empty.push(await request(cases[0].lib, cases[0].alg, 0));
      const overhead = median(empty);
      for (const c of [...cases].sort(() => Math.random() - 0.5)) {
        const dt = (await request(c.lib, c.alg, c.n)) - overhead;
        c.samples.push((c.n * 1000) / Math.max(dt, 0.001));
      }
      log(`workerd round ${r + 1}/${rounds}`);
    }
    return cases.map(({ group, alg, lib, samples }) => ({ group, alg, lib: `${lib}`, opsPerSec: median(samples), samples }));
  } finally {
    if (mf) await mf.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { table } = await import("./node.mjs");
  const algs = process.env.BENCH_ALGS ? process.env.BENCH_ALGS.split(",") : ALGS;
  const results = await runWorkerd({ algs, rounds: Number(process.env.BENCH_ROUNDS || 5), log: (m) => process.stderr.write(`${m}\n`) });
  console.log(table(results));
}
