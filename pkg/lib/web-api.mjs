// The public API over the `web` bindings, shared by the browser and workerd entries. Each of
// those entries instantiates the wasm its runtime's way (initSync) and re-exports this module;
// the core is only called once user code runs, after the entry has initialised it.
import * as core from "../dist/web/jwtward_core.js";
import createApi from "../dist/esm/api.mjs";
import createRemote from "../dist/esm/remote.mjs";
import createCache from "../dist/esm/cache.mjs";

const api = createApi(core, { createRemote, createCache });

export const {
  decode,
  decodeHeader,
  Key,
  KeySet,
  RemoteKeySet,
  remoteKeySet,
  Verifier,
  verify,
  checkClaims,
  bearerToken,
  JwtError,
  Signer,
  generateKeyPair,
} = api;
