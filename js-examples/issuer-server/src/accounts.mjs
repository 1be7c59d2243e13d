// Accounts (email + scrypt password hash) and login rate limits, over a MemoryKv or RedisKv.
import { randomUUID } from "node:crypto";
import { isIP } from "node:net";
import { hashPassword, verifyPassword } from "./passwords.mjs";

// RFC 5321 caps an address at 254 octets; the shape check is deliberately loose (one @, no
// spaces): the address is an identifier here, proven by nothing but the user's password.
const EMAIL_MAX = 254;
const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/u;
// Controls, format characters (zero-width joiners, bidi overrides), separators, private use and
// unassigned code points: invisible or unstable, so two addresses that print the same could
// otherwise be two accounts.
const INVISIBLE = /[\p{C}\p{Z}]/u;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 1024;

export class AccountError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const invalid = (message) => new AccountError(400, "invalid_request", message);

/**
 * The account key of an email address, or an AccountError (400). The policy (see README,
 * "Email addresses"): well-formed UTF-16 only; no invisible characters; the address as typed
 * must already be in NFKC form, so compatibility lookalikes (the Kelvin sign for K, fullwidth
 * letters, ligatures) are refused rather than folded into somebody else's account; then
 * lowercased, so case never makes two accounts. One key per account, one account per key.
 */
export function emailKey(email) {
  if (typeof email !== "string") throw invalid("email must be a string");
  if (email.length > EMAIL_MAX) throw invalid(`email must be at most ${EMAIL_MAX} characters`);
  if (!email.isWellFormed()) throw invalid("email is not well-formed Unicode (it contains a lone surrogate)");
  if (INVISIBLE.test(email)) throw invalid("email must not contain spaces, control or invisible characters");
  if (email.normalize("NFKC") !== email) {
    throw invalid("email contains compatibility characters (such as the Kelvin sign or fullwidth letters); type it with plain characters");
  }
  const key = email.toLowerCase();
  // Lowercasing can leave NFKC form (rarely); such an address has no stable key: refuse it.
  if (key.normalize("NFKC") !== key || !EMAIL_RE.test(key)) throw invalid("email must be an email address");
  return key;
}

/** The password, checked: a well-formed string of 8 to 1024 characters, or an AccountError. */
export function checkPassword(password) {
  if (typeof password !== "string") throw invalid("password must be a string");
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw invalid(`password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
  }
  // scrypt takes UTF-8 bytes, and a lone surrogate encodes as U+FFFD: two different passwords
  // would hash the same. Refuse them instead.
  if (!password.isWellFormed()) throw invalid("password is not well-formed Unicode (it contains a lone surrogate)");
  return password;
}

export class Accounts {
  #kv;
  #hashing;

  /** @param kv a MemoryKv or RedisKv @param hashing a HashQueue bounding scrypt work */
  constructor(kv, hashing) {
    this.#kv = kv;
    this.#hashing = hashing;
  }

  /** Creates an account; 409 when the email is taken. */
  async register(email, password) {
    const key = emailKey(email);
    checkPassword(password);
    const passwordHash = await this.#hashing.run(() => hashPassword(password));
    const account = { id: randomUUID(), email: key, passwordHash, createdAt: Date.now() };
    if (!(await this.#kv.setIfAbsent(`account:${key}`, JSON.stringify(account)))) {
      throw new AccountError(409, "account_exists", "an account with this email exists");
    }
    return { id: account.id, email: key };
  }

  /**
   * The account for these credentials, or null (after the same work whether or not it exists).
   * `key` is `emailKey(email)`; the password must have passed `checkPassword`'s rules to match.
   */
  async authenticate(key, password) {
    const text = await this.#kv.get(`account:${key}`);
    const account = text ? JSON.parse(text) : null;
    const ok = await this.#hashing.run(() => verifyPassword(password, account ? account.passwordHash : null));
    return ok ? { id: account.id, email: account.email } : null;
  }
}

/** The client address as a counter key: a literal IP address, nothing else (bounded, no junk). */
export function ipKey(candidate, fallback) {
  const ip = String(candidate ?? "").trim();
  if (ip.length <= 45 && isIP(ip)) return ip;
  return isIP(String(fallback ?? "")) ? fallback : "unknown";
}

/** Fixed-window limits on login attempts per client IP and per account. */
export class LoginLimiter {
  #kv;
  #perIp;
  #perAccount;
  #windowMs;

  constructor(kv, { perIp, perAccount, windowSeconds }) {
    this.#kv = kv;
    this.#perIp = perIp;
    this.#perAccount = perAccount;
    this.#windowMs = windowSeconds * 1000;
  }

  static #wait(hit) {
    return Math.max(1, Math.ceil(hit.resetMs / 1000));
  }

  /**
   * Counts an attempt; returns the seconds to wait when over a limit, else 0. `ip` comes from
   * `ipKey`, `key` from `emailKey`: both bounded. An IP over its limit is refused before its
   * attempt is counted against any account, so a flood from one address adds no counters.
   */
  async attempt(ip, key) {
    const byIp = await this.#kv.hit(`login-ip:${ip}`, this.#windowMs);
    if (byIp.count > this.#perIp) return LoginLimiter.#wait(byIp);
    const byAccount = await this.#kv.hit(`login-account:${key}`, this.#windowMs);
    if (byAccount.count > this.#perAccount) return LoginLimiter.#wait(byAccount);
    return 0;
  }

  /** A successful login clears the account's counter (not the IP's). */
  async succeeded(key) {
    await this.#kv.delete(`login-account:${key}`);
  }
}
