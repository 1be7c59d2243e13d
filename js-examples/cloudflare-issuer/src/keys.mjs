// The signing key: the SIGNING_KEY Worker secret (a private JWK, ES256, with a kid), or for a
// demo without it a key generated in this isolate, with a warning. A generated key lives only as
// long as its isolate, and each isolate has its own: tokens signed by one are refused by others.
import { Key, generateKeyPairAsync } from "jwtward";

/** @type {{ source: string, keys: Promise<{ privateKey: Key, publicKey: Key, kid: string }> } | null} */
let cached = null;

async function load(secret) {
  if (!secret) {
    console.warn("SIGNING_KEY is not set: signing with a key generated in this isolate. FOR DEVELOPMENT ONLY: set it with `wrangler secret put SIGNING_KEY`.");
    const kid = `dev-${crypto.randomUUID()}`;
    const { privateKey, publicKey } = await generateKeyPairAsync("ES256", { kid });
    return { privateKey, publicKey, kid };
  }
  let jwk;
  try {
    jwk = JSON.parse(secret);
  } catch {
    throw new Error("SIGNING_KEY is not JSON: it must be a private JWK (ES256, with a kid)");
  }
  const privateKey = Key.fromJwk(jwk);
  if (!privateKey.isPrivate || privateKey.kty !== "EC" || !privateKey.kid) throw new Error("SIGNING_KEY must be a private EC P-256 JWK with a kid");
  const publicKey = Key.fromJwk(privateKey.toPublicJwk());
  return { privateKey, publicKey, kid: privateKey.kid };
}

/** The isolate's signing keys, loaded once per SIGNING_KEY value. */
export function signingKeys(env) {
  const source = env.SIGNING_KEY ?? "";
  if (cached === null || cached.source !== source) {
    const keys = load(source);
    keys.catch(() => {
      if (cached && cached.keys === keys) cached = null; // retry on the next request
    });
    cached = { source, keys };
  }
  return cached.keys;
}
