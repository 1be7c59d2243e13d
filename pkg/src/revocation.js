// Revocation, as `verifyAsync`'s `isRevoked` hook asks it: a plain function, no core involved.
import { JwtError, argError } from "./errors.js";

/** Fails closed: no `jti`, a hook that throws, or an answer other than a boolean all refuse the token. */
export async function checkRevoked(isRevoked, payload) {
  if (typeof payload.jti !== "string") {
    throw new JwtError("ERR_JWT_CLAIM_VALIDATION_FAILED", 'the token has no "jti" claim, so it cannot be checked for revocation', {
      claim: "jti",
      reason: "missing",
    });
  }
  const revoked = await isRevoked(payload.jti, payload);
  if (typeof revoked !== "boolean") throw argError("verifyAsync options.isRevoked must return (or resolve to) a boolean");
  if (revoked) throw new JwtError("ERR_JWT_REVOKED", "the token has been revoked");
}
