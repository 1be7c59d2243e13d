// jwtward/decode's types from an ES module (NodeNext resolves its "import" condition here).
import { decode, decodeHeader, JwtError, type DecodedToken, type JwtHeader } from "jwtward/decode";

const d: DecodedToken = decode("e30.e30.", { maxTokenSize: 4096 });
const alg: string = d.header.alg;
const sub: string | undefined = d.payload.sub;
const signature: string = d.signature;
const header: JwtHeader = decodeHeader("e30.e30.");
const isJwtError: boolean = new JwtError("ERR_JWT_INVALID", "x") instanceof Error;
// @ts-expect-error the token is a string
decode(42);
// @ts-expect-error maxTokenSize is a number of bytes
decodeHeader("e30.e30.", { maxTokenSize: "16k" });
// @ts-expect-error decode has no verify options
decode("e30.e30.", { algorithms: ["HS256"] });

export { alg, sub, signature, header, isJwtError };
