// A Cloudflare Worker whose /api routes need a Bearer token issued by env.ISSUER for
// env.AUDIENCE, signed by a key in the JWKS at env.JWKS_URL (see wrangler.toml and README.md).
import { json, withAuth } from "./auth.mjs";

const routes = new Map([
  // Public: no token needed.
  ["/", () => json(200, { service: "jwtward worker example", protected: ["/api/me", "/api/admin"] })],
  // Any valid token: answers with its verified claims.
  ["/api/me", withAuth((request, env, ctx, claims) => json(200, claims))],
  // A valid token granting the "admin" scope.
  ["/api/admin", withAuth((request, env, ctx, claims) => json(200, { admin: true, sub: claims.sub }), { scopes: ["admin"] })],
]);

export default {
  async fetch(request, env, ctx) {
    const route = routes.get(new URL(request.url).pathname);
    if (route === undefined) return json(404, { error: "not_found", code: null });
    if (request.method !== "GET" && request.method !== "HEAD") {
      return json(405, { error: "method_not_allowed", code: null }, { allow: "GET, HEAD" });
    }
    return route(request, env, ctx);
  },
};
