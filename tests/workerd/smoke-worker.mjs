// A Worker that runs the runtime smoke suite (tests/runtimes/smoke.mjs) against jwtward as
// workerd resolves it (the slim module: asymmetric keys through the async methods), and
// answers with the results as JSON. Served by smoke.test.mjs; smoke-worker-full.mjs is the same
// for jwtward/full.
import * as jwtward from "jwtward";
import { runSmoke } from "../runtimes/smoke.mjs";

export default {
  async fetch() {
    return Response.json(await runSmoke(jwtward, { asyncOnly: true }));
  },
};
