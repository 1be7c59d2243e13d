// jwtward/full from an ES module (NodeNext resolves its "import" condition to full/index.d.mts):
// the same declarations as jwtward, the async methods included, and the default entry's async
// methods (signAsync, generateKeyPairAsync, verifyAsync) with their result types.
import { Key, Signer, Verifier, generateKeyPair, generateKeyPairAsync, JwtError, type KeyPair, type VerifiedToken } from "jwtward/full";
import * as full from "jwtward/full";
import * as slim from "jwtward";

type Session = { sid: string };

const pair: KeyPair = generateKeyPair("ES256", { kid: "k1" });
const token: string = new Signer(pair.privateKey, { alg: "ES256", kid: "k1" }).sign({ sub: "u" });
const verified: VerifiedToken<Session> = new Verifier(pair.publicKey, { algorithms: ["ES256"] }).verify<Session>(token);
const sid: string = verified.payload.sid;

async function asyncUsage(): Promise<string> {
  const generated: KeyPair = await generateKeyPairAsync("EdDSA", { kid: "e" });
  const signed: Promise<string> = new Signer(generated.privateKey, { alg: "EdDSA" }).signAsync({ sub: "a" }, { expiresIn: "5m" });
  const fromSlim: slim.KeyPair = await slim.generateKeyPairAsync("RS256");
  const slimToken: string = await new slim.Signer(fromSlim.privateKey, { alg: "RS256" }).signAsync();
  const checked = await new slim.Verifier(fromSlim.publicKey, { algorithms: ["RS256"] }).verifyAsync<Session>(slimToken);
  return (await signed) + checked.payload.sid;
}

// @ts-expect-error HMAC algorithms have no key pair
generateKeyPairAsync("HS256");
// @ts-expect-error signAsync's claims are an object
new Signer(Key.fromSecret("s"), { alg: "HS256" }).signAsync("text");

const isJwtError: boolean = new full.JwtError("ERR_JWT_EXPIRED", "x") instanceof JwtError;

export { sid, isJwtError, asyncUsage };
