// Starts the API from environment variables:
//   ISSUER=http://127.0.0.1:8080 JWKS_URL=http://127.0.0.1:8080/.well-known/jwks.json node server.mjs
import { createApp } from "./src/app.mjs";

const { ISSUER, AUDIENCE = "api", JWKS_URL, HOST = "127.0.0.1", PORT = "3000", ALGORITHMS = "ES256" } = process.env;
if (!ISSUER || !JWKS_URL) {
  console.error("set ISSUER (the exact iss of the tokens) and JWKS_URL (the issuer's key set); see README.md");
  process.exit(1);
}
const app = createApp({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: JWKS_URL, algorithms: ALGORITHMS.split(",") });
const server = app.listen(Number(PORT), HOST, (err) => {
  if (err) throw err;
  const { address, port } = server.address();
  console.log(`express-api listening on http://${address}:${port} (issuer ${ISSUER}, audience ${AUDIENCE})`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => server.close(() => process.exit(0)));
