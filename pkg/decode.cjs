// `require("jwtward/decode")`: the ES module itself, through Node's require() of ES modules
// (Node 20.19 and later), so there is one copy of the code and of the JwtError class.
module.exports = require("./decode.mjs");
