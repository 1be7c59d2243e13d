// smoke-worker.mjs for jwtward/full (the full module: every method synchronous).
import * as jwtward from "jwtward/full";
import { runSmoke } from "../runtimes/smoke.mjs";

export default {
  async fetch() {
    return Response.json(await runSmoke(jwtward));
  },
};
