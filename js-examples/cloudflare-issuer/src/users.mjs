// The demo user store: two users with PBKDF2-SHA256 password hashes (WebCrypto, 100 000
// iterations: the most Workers allow). For a demo only: a real deployment keeps users in D1 or
// an identity provider, and rate-limits login per account and per client.
//
// Demo credentials: alice / "correct horse battery staple", bob / "tr0ub4dor&3-but-longer".

const ITERATIONS = 100_000;

/** username -> { salt, hash } (base64url), and the claims an access token carries. */
const USERS = new Map([
  ["alice", { salt: "RcaTMuzNL1n3fYcYhOwG7A", hash: "NzFPiz1dKCMZVDfN2BYBqbPeA1TPhOkt0oEwnnCnE7M", roles: ["admin"] }],
  ["bob", { salt: "cgMNX-R2jm94niDivDMPLA", hash: "-3U-fvODajJgwEk1_zS5RNWhjukgDa5lRcOc6puS6cw", roles: [] }],
]);
/** Checked against when the user is unknown, so an unknown name costs the same time as a wrong password. */
const NOBODY = { salt: "xKIPHQhIz6AfPw4rwfDm8A", hash: "n58Z3bjWO1of8vd0Mg5Oxk1QH5r_TjLdsvn_cCEowGI", roles: [] };

export const MAX_USERNAME_CHARS = 64;
export const MAX_PASSWORD_CHARS = 1024;

function fromBase64url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pbkdf2(password, salt) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: ITERATIONS }, key, 256));
}

/** Compares two byte strings in time that depends only on their length. */
function constantTimeEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** The user's `{ id, roles }` if the password is theirs, else null. Inputs are checked by the caller. */
export async function authenticate(username, password) {
  const user = USERS.get(username);
  const entry = user ?? NOBODY;
  const ok = constantTimeEqual(await pbkdf2(password, fromBase64url(entry.salt)), fromBase64url(entry.hash));
  return ok && user !== undefined ? { id: username, roles: user.roles } : null;
}
