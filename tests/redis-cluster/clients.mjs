// Cluster clients for the tests, the worker and the bench: node-redis's createCluster and
// ioredis's Cluster, connected with bounded waits, and closed without hanging.
import { createCluster } from "redis";
import Redis from "ioredis";

const KINDS = ["node-redis", "ioredis"];
export { KINDS };

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

/**
 * A connected cluster client of `kind` for `seeds` ([{ host, port }]).
 * @param {"node-redis" | "ioredis"} kind
 */
export async function connectCluster(kind, seeds) {
  if (kind === "ioredis") {
    const client = new Redis.Cluster(seeds, { redisOptions: { connectTimeout: 5000 }, slotsRefreshTimeout: 2000 });
    client.on("error", () => {}); // reported through the commands that fail
    await withTimeout(new Promise((resolve, reject) => client.once("ready", resolve).once("end", () => reject(new Error("closed")))), 15_000, "ioredis Cluster ready");
    return client;
  }
  const client = createCluster({
    rootNodes: seeds.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
    defaults: { socket: { connectTimeout: 5000 } },
  });
  client.on("error", () => {});
  await withTimeout(client.connect(), 15_000, "node-redis cluster connect");
  return client;
}

/** Closes a client from connectCluster: gracefully within 3 s, else by force. */
export async function closeCluster(client) {
  try {
    await withTimeout(client instanceof Redis.Cluster ? client.quit() : client.close(), 3000, "close");
  } catch {
    if (client instanceof Redis.Cluster) client.disconnect();
    else client.destroy();
  }
}
