// Types of jwtward/full for import: the same API as jwtward's (index.d.mts).
export * from "../index.mjs";
