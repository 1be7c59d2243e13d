// Refresh-token rotations per second on one Redis (RedisStore) and on a local Redis Cluster
// (RedisClusterStore: 3 masters, 3 replicas), with 50 and 200 concurrent clients, each client
// rotating its own family's token in a loop (the realistic load: every user refreshes their
// own login). Reports rotations/s and the latency of one rotate() (p50, p99), per client library.
// Everything runs on this machine: the servers, and one Node process driving the load (whose
// CPU, the wasm core deciding each rotation included, is part of what is measured).
//   nice -n 10 node bench/cluster-rotations.mjs [seconds per run, default 5]
import os from "node:os";
import { execFileSync } from "node:child_process";
import { createClient } from "redis";
import Redis from "ioredis";
import { RedisClusterStore, RedisStore, RefreshTokens } from "jwtward";
import { startRedis } from "../tests/js/redis-server.mjs";
import { startCluster } from "../tests/redis-cluster/cluster.mjs";
import { closeCluster, connectCluster } from "../tests/redis-cluster/clients.mjs";

const seconds = Number(process.argv[2] ?? 5);
const CLIENTS = [50, 200];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `clients` users each rotating their own token for `seconds`; { rotations, perSecond, p50, p99, errors }. */
async function run(store, clients, label) {
  const rt = new RefreshTokens({ store });
  const tokens = await Promise.all(Array.from({ length: clients }, (_, i) => rt.issue(`bench-${label}-${i}`).then((r) => r.token)));
  // Warm-up: one rotation each (connections, script caches, JIT).
  for (let i = 0; i < clients; i++) tokens[i] = (await rt.rotate(tokens[i])).token;
  const latencies = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    tokens.map(async (token) => {
      let current = token;
      while (performance.now() < end) {
        const t = performance.now();
        try {
          current = (await rt.rotate(current)).token;
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  // Share of one core this (driving) process used: near 100% means the figure is the client's limit.
  const driverCpu = (used.user + used.system) / 1e6 / elapsed;
  latencies.sort((a, b) => a - b);
  return { rotations: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, driverCpu };
}

const machine = {
  nproc: os.availableParallelism(),
  cpu: os.cpus()[0]?.model,
  loadBefore: os.loadavg().map((l) => l.toFixed(2)).join(" "),
  node: process.version,
  redis: execFileSync("redis-server", ["--version"]).toString().match(/v=(\S+)/)?.[1],
};
const single = await startRedis();
const cluster = await startCluster();
const rows = [];
try {
  for (const kind of ["node-redis", "ioredis"]) {
    let client;
    if (kind === "ioredis") {
      client = new Redis(single.port, "127.0.0.1");
      await client.ping();
    } else {
      client = createClient({ url: single.url });
      await client.connect();
    }
    const clusterClient = await connectCluster(kind, cluster.seeds);
    for (const clients of CLIENTS) {
      for (const [target, store] of [
        ["one Redis (RedisStore)", new RedisStore(client, { prefix: `b${clients}:` })],
        ["cluster, 3 masters (RedisClusterStore)", new RedisClusterStore(clusterClient, { prefix: `b${clients}:` })],
      ]) {
        const r = await run(store, clients, `${kind}-${clients}-${target.length}`);
        rows.push({ target, kind, clients, ...r });
        console.error(`${target}, ${kind}, ${clients} clients: ${r.perSecond.toFixed(0)} rotations/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors, driver ${(r.driverCpu * 100).toFixed(0)}% of a core`);
      }
    }
    await (kind === "ioredis" ? client.quit() : client.close());
    await closeCluster(clusterClient);
  }
} finally {
  await cluster.stop();
  await single.stop();
}
machine.loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(JSON.stringify({ date: new Date().toISOString(), seconds, machine, rows }, null, 2));
