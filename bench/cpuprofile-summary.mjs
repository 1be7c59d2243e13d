// Summarises V8 .cpuprofile files (node --cpu-prof): self time per script and per function.
// Usage: node bench/cpuprofile-summary.mjs <directory of .cpuprofile files>
import { readFileSync, readdirSync } from "node:fs";
const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
const byFn = new Map(), byUrl = new Map();
let total = 0;
for (const f of files) {
  const p = JSON.parse(readFileSync(`${dir}/${f}`, "utf8"));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) || 0) + (p.timeDeltas[i] || 0));
  for (const [id, us] of dt) {
    const n = nodes.get(id); const cf = n.callFrame;
    const k = `${cf.functionName || "(anon)"} ${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber}`;
    byFn.set(k, (byFn.get(k) || 0) + us); total += us;
    const u = cf.url ? cf.url.replace(/.*\/(node_modules|pkg)\//, "$1/").replace(/^node:internal.*/, "node:internal") : `(${cf.functionName})`;
    byUrl.set(u, (byUrl.get(u) || 0) + us);
  }
}
const show = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, v]) => console.log(`${(v / 1000 / files.length).toFixed(1).padStart(7)} ms ${(100 * v / total).toFixed(1).padStart(5)}%  ${k}`));
console.log(`total ${(total / 1000 / files.length).toFixed(1)} ms per profile`);
show(byUrl, 15); console.log("--"); show(byFn, 20);
