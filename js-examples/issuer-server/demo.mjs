// The README's main command: starts the issuer on embedded defaults (127.0.0.1, a fresh data
// directory, memory store), plays one client through the token life cycle, printing each
// step, and stops the server. Every step checks its outcome, so a broken step fails the demo.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configFromEnv } from "./src/config.mjs";
import { createIssuer } from "./src/app.mjs";

const dataDir = mkdtempSync(join(tmpdir(), "jwtward-demo-"));
// The one non-default: a 1 s reuse grace window (default 10 s), so the demo need not wait long.
const issuer = await createIssuer(configFromEnv({ PORT: "0", DATA_DIR: dataDir, REUSE_GRACE: "1s" }));
const base = await issuer.listen();

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
// Tokens are shortened for the screen; everything else is printed as the server sent it.
const short = (key, v) => (/token$/.test(key) && typeof v === "string" ? `${v.slice(0, 20)}…${v.slice(-6)}` : v);
let step = 0;

async function call(method, path, { body, token } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

function show(title, { status, body, headers }, expected) {
  step += 1;
  console.log(`\n${bold(`${step}. ${title}`)}  → HTTP ${status}`);
  if (body) {
    const view = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, short(k, v)]));
    console.log(`   ${JSON.stringify(view)}`);
  }
  const challenge = headers.get("www-authenticate");
  if (challenge) console.log(`   WWW-Authenticate: ${challenge}`);
  if (status !== expected) throw new Error(`step ${step}: expected HTTP ${expected}, got ${status}`);
}

try {
  console.log(`issuer on ${base}, signing with ${issuer.keys.active().alg} key ${issuer.keys.active().kid}, memory store`);
  const jwks = await call("GET", "/.well-known/jwks.json");
  show("GET /.well-known/jwks.json (public keys for verifiers)", { ...jwks, body: { keys: jwks.body.keys.map((k) => `${k.kty}/${k.crv ?? k.alg} kid=${k.kid}`).join(", ") } }, 200);

  const user = { email: "ada@example.com", password: "correct horse battery staple" };
  show("POST /auth/register", await call("POST", "/auth/register", { body: user }), 201);

  const login = await call("POST", "/auth/login", { body: user });
  show("POST /auth/login (access token 15 min, refresh token 14 d)", login, 200);

  show("GET /auth/me with the access token", await call("GET", "/auth/me", { token: login.body.access_token }), 200);

  const refreshed = await call("POST", "/auth/refresh", { body: { refresh_token: login.body.refresh_token } });
  show("POST /auth/refresh (rotation: a new refresh token replaces the old one)", refreshed, 200);

  console.log("\n   …the 1 s grace window for concurrent refreshes passes; then someone replays the OLD refresh token:");
  await new Promise((r) => setTimeout(r, 1200));
  const replay = await call("POST", "/auth/refresh", { body: { refresh_token: login.body.refresh_token } });
  show("POST /auth/refresh with the old token (reuse detected: the whole family is revoked)", replay, 401);

  show(
    "POST /auth/refresh with the NEWEST token of that family (revoked with it)",
    await call("POST", "/auth/refresh", { body: { refresh_token: refreshed.body.refresh_token } }),
    401,
  );

  const again = await call("POST", "/auth/login", { body: user });
  show("POST /auth/login again (a new family)", again, 200);
  show("POST /auth/logout (denylists the access token's jti, revokes the family)", await call("POST", "/auth/logout", { token: again.body.access_token }), 204);
  show("GET /auth/me with the logged-out access token (refused)", await call("GET", "/auth/me", { token: again.body.access_token }), 401);
  console.log(`\n${bold("demo complete")}: every step behaved as expected.`);
} finally {
  await issuer.close();
  rmSync(dataDir, { recursive: true, force: true });
}
