// `require("jwtward/full")` in Node: the ES module entry itself, through Node's require() of ES
// modules (Node 20.19 and later), so `import` and `require` share one wasm instance.
module.exports = require("./index.node.mjs");
