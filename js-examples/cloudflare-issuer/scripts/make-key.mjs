// Prints a new ES256 private JWK (with kid and alg) for the SIGNING_KEY secret:
//   node scripts/make-key.mjs | npx wrangler secret put SIGNING_KEY
// WebCrypto only (Node 20+): jwtward never exports private key material.
const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
const jwk = await crypto.subtle.exportKey("jwk", privateKey);
const kid = `k-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
process.stdout.write(JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d, alg: "ES256", kid }));
