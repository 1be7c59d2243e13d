// The smallest Worker that hosts jwtward's Durable Object: the store suite drives
// DurableObjectStore from Node through Miniflare's binding of this Worker's namespace.
export { JwtwardRefreshObject } from "jwtward/cloudflare";

export default {
  fetch: () => new Response("jwtward durable object host", { status: 404 }),
};
