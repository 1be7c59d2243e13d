// Accounts (email + scrypt password hash) and login rate limits, over a MemoryKv or RedisKv.
import { randomUUID } from "node:crypto";
import { hashPassword, verifyPassword } from "./passwords.mjs";

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

export class AccountError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Accounts {
  #kv;

  constructor(kv) {
    this.#kv = kv;
  }

  static validate(email, password) {
    if (typeof email !== "string" || !EMAIL_RE.test(email)) throw new AccountError(400, "invalid_request", "email must be an email address");
    if (typeof password !== "string" || password.length < 8 || password.length > 1024) {
      throw new AccountError(400, "invalid_request", "password must be 8 to 1024 characters");
    }
    return email.toLowerCase();
  }

  /** Creates an account; 409 when the email is taken. */
  async register(email, password) {
    const normalized = Accounts.validate(email, password);
    const account = { id: randomUUID(), email: normalized, passwordHash: await hashPassword(password), createdAt: Date.now() };
    if (!(await this.#kv.setIfAbsent(`account:${normalized}`, JSON.stringify(account)))) {
      throw new AccountError(409, "account_exists", "an account with this email exists");
    }
    return { id: account.id, email: normalized };
  }

  /** The account for these credentials, or null (after the same work whether or not it exists). */
  async authenticate(email, password) {
    if (typeof email !== "string" || typeof password !== "string" || password.length > 1024) return null;
    const text = await this.#kv.get(`account:${email.toLowerCase()}`);
    const account = text ? JSON.parse(text) : null;
    const ok = await verifyPassword(password, account ? account.passwordHash : null);
    return ok ? { id: account.id, email: account.email } : null;
  }
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

  /** Counts an attempt; returns the seconds to wait when over a limit, else 0. */
  async attempt(ip, email) {
    const checks = [
      [await this.#kv.hit(`login-ip:${ip}`, this.#windowMs), this.#perIp],
      [await this.#kv.hit(`login-account:${String(email).toLowerCase()}`, this.#windowMs), this.#perAccount],
    ];
    const waits = checks.filter(([h, limit]) => h.count > limit).map(([h]) => Math.max(1, Math.ceil(h.resetMs / 1000)));
    return waits.length ? Math.max(...waits) : 0;
  }

  /** A successful login clears the account's counter (not the IP's). */
  async succeeded(email) {
    await this.#kv.delete(`login-account:${String(email).toLowerCase()}`);
  }
}
