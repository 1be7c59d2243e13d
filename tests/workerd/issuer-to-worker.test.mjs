// The two examples together, over real HTTP: the Cloudflare Worker (in workerd) verifies access
// tokens that the reference issuer server issues, through the issuer's own JWKS endpoint, with
// the issuer on the memory store (in-process) and as a server process on Redis. A key rotation at
// the issuer is picked up by the Worker through its unknown-kid refetch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configFromEnv } from "../../js-examples/issuer-server/src/config.mjs";
import { createIssuer } from "../../js-examples/issuer-server/src/app.mjs";
import { startRedis } from "../js/redis-server.mjs";
import { client, serverProcess } from "../issuer/helpers.mjs";
import { EXAMPLE, readWranglerToml, startWorker } from "./workerd.mjs";

const config = await readWranglerToml(join(EXAMPLE, "wrangler.toml"));
const USER = { email: "grace@example.com", password: "a long enough password" };

/** The Worker example configured for `issuer` (its JWKS URL, issuer and the issuer's audience). */
function workerFor(issuer) {
  return startWorker({
    entry: join(EXAMPLE, config.main),
    compatibilityDate: config.compatibility_date,
    bindings: { ...config.vars, JWKS_URL: `${issuer}/.well-known/jwks.json`, ISSUER: issuer, AUDIENCE: "api", JWKS_COOLDOWN: "0s" },
  });
}

/** Logs in at the issuer and calls the Worker's protected routes with the access token. */
async function loginAndCall(issuerCall, workerUrl) {
  const login = await issuerCall("POST", "/auth/login", { body: USER });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const callWorker = client(workerUrl.href.replace(/\/$/, ""));
  const me = await callWorker("GET", "/api/me", { token: login.body.access_token });
  assert.equal(me.status, 200, JSON.stringify(me.body));
  assert.equal(me.body.email, USER.email);
  const admin = await callWorker("GET", "/api/admin", { token: login.body.access_token });
  assert.equal(admin.status, 403, "the issuer grants scope profile, not admin");
  assert.match(admin.headers.get("www-authenticate"), /error="insufficient_scope"/);
  return login.body;
}

test("the Worker verifies tokens from the issuer on the memory store, across a key rotation", async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), "jwtward-issuer-worker-"));
  // KEY_PUBLISH_DELAY 0: the rotated-in key signs at once, before the Worker has seen it, so
  // this test exercises the Worker's refetch on an unknown kid (the issuer's publish-first
  // default would hide that path for 10 minutes).
  const issuer = await createIssuer(configFromEnv({ PORT: "0", DATA_DIR: dataDir, KEY_PUBLISH_DELAY: "0" }));
  const base = await issuer.listen();
  const worker = await workerFor(base);
  t.after(async () => {
    await worker.dispose();
    await issuer.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const call = client(base);
  assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
  const first = await loginAndCall(call, worker.url);

  // Rotation: new tokens carry the new kid; the Worker refetches the JWKS once and accepts them,
  // and still accepts the tokens signed before the rotation.
  issuer.keys.rotate();
  await loginAndCall(call, worker.url);
  const callWorker = client(worker.url.href.replace(/\/$/, ""));
  assert.equal((await callWorker("GET", "/api/me", { token: first.access_token })).status, 200);
  const refreshed = await call("POST", "/auth/refresh", { body: { refresh_token: first.refresh_token } });
  assert.equal((await callWorker("GET", "/api/me", { token: refreshed.body.access_token })).status, 200);
});

test("the Worker verifies tokens from the issuer running as a process on Redis", async (t) => {
  const redis = await startRedis();
  const dataDir = mkdtempSync(join(tmpdir(), "jwtward-issuer-worker-"));
  const server = serverProcess({ REDIS_URL: redis.url, DATA_DIR: dataDir, REDIS_PREFIX: "iw:" });
  const base = await server.ready;
  const worker = await workerFor(base);
  t.after(async () => {
    await worker.dispose();
    await server.stop();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const call = client(base);
  assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
  await loginAndCall(call, worker.url);
});
