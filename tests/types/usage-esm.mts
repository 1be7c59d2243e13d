// The same types seen from an ES module (NodeNext resolves the "import" condition here), plus a
// default-less namespace import as some users write it.
import { Verifier, Key, JwtError, type VerifyOptions } from "jwtward";
import * as jwtward from "jwtward";

const options: VerifyOptions = { algorithms: ["HS256"], issuer: "https://issuer" };
const payload = new Verifier(Key.fromSecret("secret"), options).verify("token").payload;
const sub: string | undefined = payload.sub;
const isJwtError: boolean = new jwtward.JwtError("ERR_JWT_EXPIRED", "x") instanceof JwtError;
// @ts-expect-error algorithms is required
new jwtward.Verifier(Key.fromSecret("s"), {});

export { sub, isJwtError };
