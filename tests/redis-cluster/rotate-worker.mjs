// One process of the multi-process cluster test: connects to the local cluster with the client
// it is told to use, waits for the common start instant, fires its share of concurrent rotate()
// calls on one token, and prints one JSON line with what each call got.
// argv: seedPort prefix token calls client(node-redis|ioredis) startAtMs
import { RedisClusterStore, RefreshTokens } from "jwtward";
import { closeCluster, connectCluster } from "./clients.mjs";

const [port, prefix, token, calls, kind, startAt] = process.argv.slice(2);
const client = await connectCluster(kind, [{ host: "127.0.0.1", port: Number(port) }]);
const store = new RedisClusterStore(client, { prefix });
// Counts this process's compare-and-sets, to show the processes really raced.
const commits = { tried: 0, landed: 0 };
const counting = {
  read: (h, f) => store.read(h, f),
  readFamily: (f) => store.readFamily(f),
  familiesOf: (s) => store.familiesOf(s),
  async commit(change) {
    commits.tried++;
    const landed = await store.commit(change);
    if (landed) commits.landed++;
    return landed;
  },
};
const rt = new RefreshTokens({ store: counting, reuseGrace: "30s" });
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
const started = performance.now();
const results = await Promise.allSettled(Array.from({ length: Number(calls) }, () => rt.rotate(token)));
const ms = performance.now() - started;
const tokens = results.filter((r) => r.status === "fulfilled").map((r) => r.value.token);
const errors = results.filter((r) => r.status === "rejected").map((r) => `${r.reason.code}: ${r.reason.message}`);
process.stdout.write(`${JSON.stringify({ pid: process.pid, kind, tokens, errors, ms, commits })}\n`);
await closeCluster(client);
