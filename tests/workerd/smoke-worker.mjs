// A Worker that runs the runtime smoke suite (tests/runtimes/smoke.mjs) against jwtward as
// workerd resolves it, and answers with the results as JSON. Served by smoke.test.mjs.
import * as jwtward from "jwtward";
import { runSmoke } from "../runtimes/smoke.mjs";

export default {
  async fetch() {
    return Response.json(await runSmoke(jwtward));
  },
};
