// What each library costs around the signature in workerd: jwtward's `verifyAsync` (default
// entry) and jose's `jwtVerify`, first as they are, then with crypto.subtle.verify stubbed to
// answer true (bench/workerd/overhead-worker.mjs), microseconds per verification, medians of 7
// requests of n verifications minus an empty request. A diagnostic for bench/analysis.md, not
// part of the full run: `node bench/workerd-overhead.mjs`.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { bundle, startMiniflare } from "./workerd.mjs";
import { fixtures } from "./fixtures.mjs";
import { median } from "./measure.mjs";
import { ROOT } from "./entries.mjs";

const algs = (process.env.BENCH_ALGS || "RS256,ES256,EdDSA").split(",");
for (const stub of [false, true]) {
  const dir = await mkdtemp(join(ROOT, "bench", ".cold-overhead-"));
  const mf = await startMiniflare(await bundle(join(ROOT, "bench/workerd/overhead-worker.mjs"), dir), dir);
  try {
    const fx = fixtures(algs);
    const body = Object.fromEntries(Object.entries(fx).map(([a, f]) => [a, { publicJwk: f.publicJwk, token: f.token }]));
    await (await mf.dispatchFetch(`http://bench/setup?stub=${stub ? 1 : ""}`, { method: "POST", body: JSON.stringify(body) })).text();
    const request = async (lib, alg, n) => {
      const t0 = performance.now();
      const text = await (await mf.dispatchFetch(`http://bench/run?lib=${lib}&alg=${alg}&n=${n}`)).text();
      if (Number(text) !== n) throw new Error(`${lib} ${alg}: ${text}`);
      return performance.now() - t0;
    };
    const out = [];
    for (const alg of algs) {
      for (const lib of ["jwtward", "jose"]) {
        const n = stub ? 3000 : 1000;
        await request(lib, alg, n);
        const samples = [];
        for (let i = 0; i < 7; i++) samples.push(((await request(lib, alg, n)) - (await request(lib, alg, 0))) * 1000 / n);
        out.push(`${alg} ${lib} ${median(samples).toFixed(2)} us`);
      }
    }
    console.log(`${stub ? "crypto.subtle.verify stubbed" : "as they are"}: ${out.join("; ")}`);
  } finally {
    await mf.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
