// jwtward/full from CommonJS (NodeNext resolves its "require" condition to full/index.d.ts).
import full = require("jwtward/full");

const key: full.Key = full.Key.fromSecret("a-secret");
const signer: full.Signer = new full.Signer(key, { alg: "HS256" });
const token: string = signer.sign({ sub: "u" });
const later: Promise<string> = signer.signAsync({ sub: "u" });
const pair: Promise<full.KeyPair> = full.generateKeyPairAsync("ES384");

export { token, later, pair };
