// The payload type parameter of verify / verifyAsync (issue 12): any type P, an `interface` without an
// index signature included (as jose's jwtVerify<P>), and the result is P & JwtPayload, so both the
// user's fields and the registered claims are typed. Wrong usage still fails.
import { Verifier, Key, verify, remoteKeySet, type JwtPayload, type VerifiedToken } from "jwtward";
import * as full from "jwtward/full";

// No index signature, no `extends JwtPayload`: this is how people write their claims.
interface AppClaims {
  tenant: string;
  roles: string[];
  plan?: "free" | "pro";
}
type Session = { sid: string };

const verifier = new Verifier(Key.fromSecret("a secret of at least 32 bytes for HS256...."), { algorithms: ["HS256"] });

// The interface compiles, and the intersection exposes the user's fields and the registered claims.
const { payload } = verifier.verify<AppClaims>("token");
const tenant: string = payload.tenant;
const roles: string[] = payload.roles;
const plan: "free" | "pro" | undefined = payload.plan;
const exp: number | undefined = payload.exp;
const iss: string | undefined = payload.iss;
const aud: string | string[] | undefined = payload.aud;
const asJwt: JwtPayload = payload;
const asApp: AppClaims = payload;
const whole: VerifiedToken<AppClaims> = verifier.verify<AppClaims>("token");
const alsoWhole: { payload: AppClaims & JwtPayload } = whole;

// The standalone verify and jwtward/full take the same.
const oneShot: string = verify<AppClaims>("token", Key.fromSecret("s"), { algorithms: ["HS256"] }).payload.tenant;
const fromFull: number | undefined = new full.Verifier(full.Key.fromSecret("s"), { algorithms: ["HS256"] }).verify<AppClaims>("t").payload.iat;

// Without a type argument the payload is plain JwtPayload (unknown claims are `unknown`).
const plain: unknown = verifier.verify("token").payload["tenant"];

async function asyncUsage(): Promise<string> {
  const remote = new Verifier(remoteKeySet("https://id.example/.well-known/jwks.json"), { algorithms: ["RS256"] });
  const a = await remote.verifyAsync<AppClaims>("t", { isRevoked: (jti, p) => p.sub === jti });
  const s = await remote.verifyAsync<Session>("t");
  const sub: string | undefined = a.payload.sub;
  return a.payload.tenant + s.payload.sid + (sub ?? "") + String(a.payload.nbf ?? 0);
}

// Wrong usage still fails.
// @ts-expect-error a field the claims type does not declare is `unknown`, not `string`
const notDeclared: string = verifier.verify<AppClaims>("t").payload.team;
// @ts-expect-error tenant is a string, not a number
const wrongType: number = verifier.verify<AppClaims>("t").payload.tenant;
// @ts-expect-error exp stays a NumericDate
const expString: string | undefined = verifier.verify<AppClaims>("t").payload.exp;
// @ts-expect-error a claims type that redefines exp as a string has no usable exp (string & number)
const conflicting: string = verifier.verify<{ exp: string }>("t").payload.exp.toUpperCase();
// @ts-expect-error verifyAsync resolves to a Promise: no payload without await
verifier.verifyAsync<AppClaims>("t").payload;
// @ts-expect-error the token is a string
verifier.verify<AppClaims>(42);
// @ts-expect-error algorithms is still required
verify<AppClaims>("t", Key.fromSecret("s"), {});

export { tenant, roles, plan, exp, iss, aud, asJwt, asApp, alsoWhole, oneShot, fromFull, plain, asyncUsage, notDeclared, wrongType, expString, conflicting };
