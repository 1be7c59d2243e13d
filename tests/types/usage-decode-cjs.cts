// jwtward/decode's types from CommonJS (NodeNext resolves its "require" condition here).
import decoder = require("jwtward/decode");

const d: decoder.DecodedToken = decoder.decode("e30.e30.");
const header: decoder.JwtHeader = decoder.decodeHeader("e30.e30.", { maxTokenSize: 100 });
const err: decoder.JwtError = new decoder.JwtError("ERR_JWS_INVALID", "x");

export { d, header, err };
