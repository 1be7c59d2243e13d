// Starts the issuer from environment variables (see README.md). Without REDIS_URL, refresh
// state, the denylist, accounts and rate limits live in this process's memory.
//   node server.mjs              serve
//   node server.mjs rotate-keys  start signing with a new key (the old one stays published)
import { configFromEnv } from "./src/config.mjs";
import { createIssuer } from "./src/app.mjs";
import { SigningKeys } from "./src/keys.mjs";

const config = configFromEnv(process.env);

if (process.argv[2] === "rotate-keys") {
  const keys = new SigningKeys({ dir: config.dataDir, alg: config.signingAlg, rotateAfter: config.keyRotation, accessTtl: config.accessTtl });
  console.log(`now signing with ${keys.rotate()}`);
  process.exit(0);
}

let redis = null;
if (config.redisUrl) {
  const { createClient } = await import("redis");
  redis = createClient({ url: config.redisUrl });
  redis.on("error", (e) => console.error("redis:", e.message));
  await redis.connect();
}
const issuer = await createIssuer(config, { redis });
const url = await issuer.listen();
console.log(`issuer listening on ${url} (${redis ? "Redis" : "memory"} store, signing with ${issuer.keys.active().alg} key ${issuer.keys.active().kid})`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await issuer.close();
    if (redis) await redis.quit();
    process.exit(0);
  });
}
