// jwtward quickstart for Node: generate an ES256 key pair, sign a token with an issuer and an
// audience, verify it, then show a tampered token and an expired one failing with their codes.
// Run: (from the repository root) bash scripts/build.sh && cd js-examples/node-quickstart && npm install && npm start
import { generateKeyPair, Signer, Verifier, JwtError } from "jwtward";

const ISSUER = "https://auth.example.com";
const AUDIENCE = "https://api.example.com";

console.log("1. Generate an ES256 key pair");
const { privateKey, publicKey } = generateKeyPair("ES256", { kid: "2026-11" });
console.log("   public JWK:", JSON.stringify(publicKey.toPublicJwk()));

console.log("\n2. Sign a token (expires in 15 minutes by default)");
const signer = new Signer(privateKey, { alg: "ES256", issuer: ISSUER, audience: AUDIENCE });
const token = signer.sign({ scope: "read:orders" }, { subject: "user-42" });
console.log("   token:", token);

console.log("\n3. Verify it");
const verifier = new Verifier(publicKey, { algorithms: ["ES256"], issuer: ISSUER, audience: AUDIENCE, requiredScopes: ["read:orders"] });
const { payload } = verifier.verify(token);
console.log("   valid; subject =", payload.sub, "| scope =", payload.scope, "| expires", new Date(payload.exp * 1000).toISOString());

/** Verifies `t` and prints the error code it fails with. */
function showFailure(label, t, v = verifier) {
  try {
    v.verify(t);
    console.log(`   ${label}: unexpectedly valid!`);
    process.exitCode = 1;
  } catch (e) {
    if (!(e instanceof JwtError)) throw e;
    console.log(`   ${label}: rejected with ${e.code}${e.claim ? ` (claim "${e.claim}")` : ""}: ${e.message}`);
  }
}

console.log("\n4. Tamper with the payload (sub: user-42 -> admin)");
const [header, body, signature] = token.split(".");
const forged = JSON.parse(Buffer.from(body, "base64url").toString());
forged.sub = "admin";
showFailure("tampered token", `${header}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`);

console.log("\n5. Verify the token one hour from now (it expired after 15 minutes)");
const oneHourLater = new Date(Date.now() + 3600_000);
showFailure("expired token", token, new Verifier(publicKey, { algorithms: ["ES256"], issuer: ISSUER, audience: AUDIENCE, currentDate: oneHourLater }));
