// `jwtward/cloudflare`: refresh tokens and revocation in Cloudflare Workers. `DurableObjectStore`
// (a RefreshStore and Denylist) and the Durable Object class it runs on, `JwtwardRefreshObject`.
// Plain JavaScript with no wasm and no `cloudflare:` import, so it loads anywhere (tests, type
// checks) and adds nothing to other runtimes' bundles. Use it with RefreshTokens from "jwtward".
export { DurableObjectStore } from "./src/cloudflare/store.js";
export { JwtwardRefreshObject } from "./src/cloudflare/object.js";
