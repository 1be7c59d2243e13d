// Types of jwtward/full for require: the same API as jwtward's (index.d.ts).
export * from "../index.js";
