// `require("jwtward/cloudflare")`: the ES module itself, through Node's require() of ES modules
// (Node 20.19 and later), so there is one copy of the code.
module.exports = require("./cloudflare.mjs");
