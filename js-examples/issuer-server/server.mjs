// Starts the issuer from environment variables (see README.md). Without REDIS_URL, refresh
// state, the denylist, accounts and rate limits live in this process's memory.
//   node server.mjs              serve
//   node server.mjs rotate-keys  publish a new key; it signs after KEY_PUBLISH_DELAY
import { configFromEnv } from "./src/config.mjs";
import { createIssuer } from "./src/app.mjs";
import { SigningKeys } from "./src/keys.mjs";

let config;
try {
  config = configFromEnv(process.env);
} catch (e) {
  console.error(`issuer: ${e.message}`);
  process.exit(2);
}

if (process.argv[2] === "rotate-keys") {
  const keys = SigningKeys.fromConfig(config);
  const kid = keys.rotate();
  const pending = keys.pending();
  console.log(`published ${kid}; it signs ${pending?.kid === kid ? `from ${new Date(pending.activatesAt * 1000).toISOString()}` : "now"}`);
  process.exit(0);
}

let redis = null;
if (config.redisUrl) {
  if (!config.issuer) {
    console.error("issuer: warning: REDIS_URL without ISSUER: this process names itself after its own host and port, so other processes on this Redis will refuse its access tokens. Set the same ISSUER for all of them.");
  }
  const { createClient } = await import("redis");
  redis = createClient({
    url: config.redisUrl,
    // Offline: fail each command at once (503) instead of queueing it until Redis is back.
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000) },
  });
  // Report changes of state, not every failed reconnection attempt.
  let up = null;
  redis.on("ready", () => {
    if (up !== true) console.error("redis: connected");
    up = true;
  });
  redis.on("error", (e) => {
    if (up !== false) console.error(`redis: unavailable (${e.message}); answering 503 and reconnecting`);
    up = false;
  });
  // Not awaited: with Redis down at start, the server listens anyway, answers 503 until the
  // client connects, and the client keeps retrying in the background.
  redis.connect().catch((e) => console.error(`redis: ${e.message}`));
}
const issuer = await createIssuer(config, { redis });
const url = await issuer.listen();
console.log(`issuer listening on ${url} as ${issuer.issuer} (${redis ? "Redis" : "memory"} store, signing with ${issuer.keys.active().alg} key ${issuer.keys.active().kid})`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await issuer.close();
    if (redis?.isOpen) redis.destroy();
    process.exit(0);
  });
}
