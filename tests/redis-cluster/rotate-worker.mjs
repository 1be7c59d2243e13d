// One process of the multi-process cluster test: connects to the local cluster with the client
// it is told to use and races its share of rotate() calls on one token (race-rotations.mjs).
// argv: seedPort prefix token calls client(node-redis|ioredis) startAtMs
import { RedisClusterStore } from "jwtward";
import { raceRotations } from "../js/fixtures/race-rotations.mjs";
import { closeCluster, connectCluster } from "./clients.mjs";

const [port, prefix, token, calls, kind, startAt] = process.argv.slice(2);
const client = await connectCluster(kind, [{ host: "127.0.0.1", port: Number(port) }]);
await raceRotations({ store: new RedisClusterStore(client, { prefix }), token, calls, kind, startAt });
await closeCluster(client);
