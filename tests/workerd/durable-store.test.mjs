// DurableObjectStore (jwtward/cloudflare) against its Durable Object in real workerd.
// What runs where: JwtwardRefreshObject runs in workerd (Miniflare 4, SQLite-backed Durable
// Objects persisted to a temp dir); RefreshTokens and DurableObjectStore run here in Node, and
// reach the objects through Miniflare's binding of the namespace (getDurableObjectNamespace),
// so every store call is a real request to a real object. Two Workers in one Miniflare bind
// the same namespace: the suite's second store goes through the second Worker's binding.
// The store suite's `dump` is every file of the persist dir (the SQLite databases), as text.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { RefreshTokens } from "jwtward";
import { DurableObjectStore, JwtwardRefreshObject } from "jwtward/cloudflare";
import { refreshSuite, rejectsCode } from "../js/refresh-suite.mjs";
import { ROOT, startWorker } from "./workerd.mjs";

const HOOK_TIMEOUT = { timeout: 60_000 };
const TEST_TIMEOUT = { timeout: 60_000 };
export const HOST = join(ROOT, "tests", "workerd", "durable-store-worker.mjs");
export const DO_CLASS = "JwtwardRefreshObject";

let worker;
let persist;
let namespaces;

before(async () => {
  persist = await mkdtemp(join(tmpdir(), "jwtward-do-"));
  worker = await startWorker({
    entry: HOST,
    compatibilityDate: "2026-04-01",
    configure: (w) => ({
      durableObjectsPersist: persist,
      workers: [
        { ...w, name: "host", durableObjects: { REFRESH: { className: DO_CLASS, useSQLite: true } } },
        { ...w, name: "other", durableObjects: { REFRESH: { className: DO_CLASS, scriptName: "host", useSQLite: true } } },
      ],
    }),
  });
  namespaces = [await worker.mf.getDurableObjectNamespace("REFRESH", "host"), await worker.mf.getDurableObjectNamespace("REFRESH", "other")];
}, HOOK_TIMEOUT);

after(async () => {
  await worker?.dispose();
  if (persist) await rm(persist, { recursive: true, force: true });
}, HOOK_TIMEOUT);

/** Each store call answered within 20 s, or rejected: the shared suite's tests carry no timeout of their own. */
function bounded(store) {
  const out = {};
  for (const method of ["read", "readFamily", "commit", "familiesOf", "add", "has"]) {
    out[method] = (...args) => {
      let timer;
      const limit = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`DurableObjectStore.${method}: no answer within 20 s`)), 20_000);
      });
      return Promise.race([store[method](...args), limit]).finally(() => clearTimeout(timer));
    };
  }
  return out;
}

/** Every file under `dir`, as latin1 text (the stored strings are ASCII). */
async function dumpDir(dir) {
  const parts = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath ?? entry.path, entry.name), "latin1"));
  }
  return parts.join("\n");
}

// A token from before routed tokens names no family, so no object can be asked: refused.
refreshSuite(
  "DurableObjectStore",
  async () => ({ stores: namespaces.map((ns) => bounded(new DurableObjectStore(ns))), dump: () => dumpDir(persist) }),
  { legacyTokens: "refused" },
);

test("DurableObjectStore: the dump sees what was stored (so 'no token in the store' is not vacuous)", TEST_TIMEOUT, async () => {
  const store = new DurableObjectStore(namespaces[0]);
  const rt = new RefreshTokens({ store });
  const { familyId } = await rt.issue("dump-check");
  assert.ok((await dumpDir(persist)).includes(familyId), "the persist dir holds the family's object name");
});

test("DurableObjectStore: a legacy token (no family prefix) and a prefix that is no family id are ERR_REFRESH_INVALID", TEST_TIMEOUT, async () => {
  const store = new DurableObjectStore(namespaces[0]);
  const rt = new RefreshTokens({ store });
  const { token } = await rt.issue("u");
  const secret = token.slice(token.indexOf(".") + 1);
  await rejectsCode(rt.rotate(secret), "ERR_REFRESH_INVALID");
  await rejectsCode(rt.rotate(`not/a/family.${secret}`), "ERR_REFRESH_INVALID");
  assert.deepEqual(await store.read("A".repeat(43)), { token: null, sealed: null, family: null });
  assert.deepEqual(await store.read("A".repeat(43), "x".repeat(65)), { token: null, sealed: null, family: null });
});

test("DurableObjectStore: revokeSubject reaches families on both Workers' bindings; familiesOf lists them", TEST_TIMEOUT, async () => {
  const [a, b] = namespaces.map((ns) => new RefreshTokens({ store: new DurableObjectStore(ns) }));
  const one = await a.issue("carol");
  const two = await b.issue("carol");
  const ids = await new DurableObjectStore(namespaces[1]).familiesOf("carol");
  assert.deepEqual(ids.sort(), [one.familyId, two.familyId].sort());
  await b.revokeSubject("carol");
  await rejectsCode(a.rotate(one.token), "ERR_REFRESH_REVOKED");
  await rejectsCode(a.rotate(two.token), "ERR_REFRESH_REVOKED");
});

test("DurableObjectStore: the Denylist keeps a jti until its expiry, then the alarm deletes the object's storage", TEST_TIMEOUT, async () => {
  const store = new DurableObjectStore(namespaces[0]);
  const jti = `jti-${Date.now()}`;
  const exp = Math.ceil(Date.now() / 1000) + 1;
  assert.equal(await store.has(jti), false);
  await store.add(jti, exp);
  await store.add(`${jti}-past`, exp - 100); // already expired: nothing stored
  assert.equal(await store.has(jti), true);
  assert.equal(await new DurableObjectStore(namespaces[1]).isRevoked(jti), true, "the other Worker's binding sees it");
  assert.equal(await store.has(`${jti}-past`), false);
  // While the entry lives, the object holds its name and refuses a request naming another jti.
  const stub = namespaces[0].get(namespaces[0].idFromName(`deny:${jti}`));
  const ask = () => stub.fetch("https://do/denied", { method: "POST", body: JSON.stringify({ name: "deny:someone-else" }) });
  assert.equal((await ask()).status, 400);
  // After exp the alarm deletes everything, name included (waits at most 10 s).
  const deadline = Date.now() + 10_000;
  let status;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await ask()).status;
    if (status === 200) break;
  }
  assert.equal(status, 200, "the alarm did not delete the expired entry within 10 s");
  assert.equal(await store.has(jti), false);
});

test("JwtwardRefreshObject: garbage on its RPC surface is a 400 with a reason, never a crash; the object still serves", TEST_TIMEOUT, async () => {
  const ns = namespaces[0];
  const rt = new RefreshTokens({ store: new DurableObjectStore(ns) });
  const { familyId } = await rt.issue("u");
  const stub = ns.get(ns.idFromName(`family:${familyId}`));
  const post = (op, body, init = {}) => stub.fetch(`https://do/${op}`, { method: "POST", body, ...init });
  const name = `family:${familyId}`;
  const hash = "A".repeat(43);
  const change = (over = {}) => ({
    familyId,
    subject: "u",
    family: { expect: null, record: "r", expiresAt: 2e9 },
    tokens: [{ hash, expect: null, record: "t", expiresAt: 2e9 }],
    ...over,
  });
  const cases = [
    ["read", "not json", /not JSON/],
    ["read", "", /not JSON/],
    ["read", "[1,2]", /JSON object/],
    ["read", "null", /JSON object/],
    ["read", "[".repeat(100_000), /not JSON/],
    ["read", "x".repeat(300 * 1024), /larger than/],
    ["nope", JSON.stringify({ name }), /unknown operation/],
    ["__proto__", JSON.stringify({ name }), /unknown operation/],
    ["read", JSON.stringify({ name, hash: 42 }), /hash must be/],
    ["read", JSON.stringify({ name: "subject:u", hash }), /family object's name/],
    ["read", JSON.stringify({ name: "family:../../x", hash }), /family name/],
    ["read", JSON.stringify({ name: `family:${"a".repeat(22)}`, hash }), /another name/],
    ["commit", JSON.stringify({ name }), /change must be an object/],
    ["commit", JSON.stringify({ name, change: change({ familyId: "other" }) }), /not this object's family/],
    ["commit", JSON.stringify({ name, change: change({ tokens: {} }) }), /at most 8 entries/],
    ["commit", JSON.stringify({ name, change: change({ tokens: Array(9).fill(change().tokens[0]) }) }), /at most 8 entries/],
    ["commit", JSON.stringify({ name, change: change({ family: { expect: null, record: "r", expiresAt: "soon" } }) }), /expiresAt/],
    ["commit", JSON.stringify({ name, change: change({ family: { expect: null, record: "r".repeat(97 * 1024), expiresAt: 2e9 } }) }), /record must be/],
    ["commit", JSON.stringify({ name, change: change({ tokens: [change().tokens[0], change().tokens[0]] }) }), /same hash twice/],
    ["commit", JSON.stringify({ name, change: change({ subject: 7 }) }), /subject/],
    ["addFamily", JSON.stringify({ name: "subject:u", familyId: "f", expiresAt: -1 }), /expiresAt/],
    ["deny", JSON.stringify({ name: "deny:", expiresAt: 2e9 }), /jti/],
  ];
  for (const [op, body, message] of cases) {
    let response;
    try {
      response = await post(op, body);
    } catch (e) {
      // An oversized body is refused before it is read: over Miniflare's socket from Node the
      // client may still be writing when the answer closes the stream (a reset, not a crash);
      // the object serving afterwards is checked below.
      if (body.length > 256 * 1024 && /ECONNRESET|EPIPE|socket/i.test(`${e.message} ${e.cause}`)) continue;
      assert.fail(`${op} ${body.slice(0, 60)}: ${e.message} ${e.cause}`);
    }
    const text = await response.text();
    assert.equal(response.status, 400, `${op} ${body.slice(0, 60)}: ${text}`);
    assert.match(JSON.parse(text).error, message, `${op} ${body.slice(0, 60)}`);
  }
  assert.equal((await stub.fetch("https://do/read", { method: "GET" })).status, 405);
  // The family is intact and still serves.
  assert.equal(typeof (await new DurableObjectStore(ns).readFamily(familyId)), "string");
  assert.equal(worker.logs.filter((l) => /JwtwardRefreshObject/.test(l)).length, 0, worker.logs.join("\n"));
});

test("DurableObjectStore: arguments are checked before any request; an object that fails is ERR_STORE_UNAVAILABLE", TEST_TIMEOUT, async () => {
  assert.throws(() => new DurableObjectStore({}), /namespace binding/);
  const store = new DurableObjectStore(namespaces[0]);
  await assert.rejects(store.commit({ familyId: "f" }), TypeError);
  await assert.rejects(store.add("", 2e9), TypeError);
  await assert.rejects(store.add("x".repeat(1025), 2e9), TypeError);
  await assert.rejects(store.familiesOf(""), TypeError);
  assert.equal(await store.has("x".repeat(2000)), false);
  const broken = new DurableObjectStore({
    idFromName: (n) => n,
    get: () => ({ fetch: async () => { throw new Error("network lost"); } }),
  });
  const e = await broken.has("j").catch((x) => x);
  assert.equal(e.code, "ERR_STORE_UNAVAILABLE");
  const rt = new RefreshTokens({ store: broken });
  assert.equal((await rt.issue("u").catch((x) => x)).code, "ERR_STORE_UNAVAILABLE");
  const five = new DurableObjectStore({ idFromName: (n) => n, get: () => ({ fetch: async () => new Response("{}", { status: 500 }) }) });
  assert.equal((await five.readFamily("f").catch((x) => x)).code, "ERR_STORE_UNAVAILABLE");
});

test("JwtwardRefreshObject in Node over a fake storage: the alarm deletes expired entries and reschedules", TEST_TIMEOUT, async () => {
  const data = new Map();
  let alarm = null;
  const storage = {
    get: async (k) => (Array.isArray(k) ? new Map(k.filter((x) => data.has(x)).map((x) => [x, data.get(x)])) : data.get(k)),
    put: (entries) => { for (const [k, v] of Object.entries(entries)) data.set(k, v); },
    delete: (keys) => { for (const k of [].concat(keys)) data.delete(k); },
    list: async ({ prefix = "" } = {}) => new Map([...data].filter(([k]) => k.startsWith(prefix))),
    deleteAll: async () => data.clear(),
    getAlarm: async () => alarm,
    setAlarm: async (at) => { alarm = at; },
  };
  const object = new JwtwardRefreshObject({ storage });
  const now = Date.now() / 1000;
  const call = async (op, body) => (await object.fetch(new Request(`https://do/${op}`, { method: "POST", body: JSON.stringify(body) }))).json();
  await call("addFamily", { name: "subject:u", familyId: "a", expiresAt: now - 1 }); // expired: ignored
  await call("addFamily", { name: "subject:u", familyId: "b", expiresAt: now + 0.2 });
  await call("addFamily", { name: "subject:u", familyId: "c", expiresAt: now + 100 });
  assert.deepEqual((await call("families", { name: "subject:u" })).result, ["b", "c"]);
  assert.equal(alarm, Math.ceil((now + 0.2) * 1000));
  await new Promise((r) => setTimeout(r, 300));
  await object.alarm();
  assert.deepEqual([...data.keys()].sort(), ["name", "sf:c"]);
  assert.equal(alarm, Math.ceil((now + 100) * 1000));
  data.set("sf:c", now - 1);
  await object.alarm();
  assert.equal(data.size, 0, "nothing left: the object's storage is deleted");
});
