// Password hashing with scrypt from node:crypto. The stored form names its parameters, so
// they can be raised later without invalidating existing hashes.
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { Unavailable } from "./guard.mjs";

const scrypt = promisify(scryptCb);
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LEN = 32;

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, KEY_LEN, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

// Checked against when the account does not exist, so a login costs the same either way and
// response times do not reveal which emails are registered.
const DUMMY = await hashPassword("not-a-password-anyone-has");

/** True when `password` matches `stored` (or false after the same work when `stored` is null). */
export async function verifyPassword(password, stored) {
  const [scheme, N, r, p, salt, hash] = (stored ?? DUMMY).split("$");
  if (scheme !== "scrypt") return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return stored !== null && timingSafeEqual(actual, expected);
}

/**
 * Bounded password hashing: at most `concurrency` scrypt runs at once and `maxQueue` waiting.
 * A login beyond that is refused at once (`Unavailable`, 503 + Retry-After) instead of waiting
 * behind hundreds of others: under overload, some clients get a fast "retry", none a 10 s wait.
 */
export class HashQueue {
  #concurrency;
  #maxQueue;
  #running = 0;
  #waiting = [];

  constructor({ concurrency, maxQueue }) {
    this.#concurrency = concurrency;
    this.#maxQueue = maxQueue;
  }

  /** True when a new job would be refused. */
  get full() {
    return this.#running >= this.#concurrency && this.#waiting.length >= this.#maxQueue;
  }

  /** Runs `fn` (returns a promise) when a slot is free; throws `Unavailable` when the queue is full. */
  async run(fn) {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#maxQueue) throw new Unavailable("the server is busy hashing passwords", { busy: true });
      await new Promise((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (running stays the same), or free it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
