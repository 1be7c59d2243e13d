// The Express API: one public route, and routes that need a verified access token, a role or a
// scope. createApp only builds the app; server.mjs listens.
import express from "express";
import { requireAuth, requireRole, requireScope } from "./auth.mjs";
import { errorHandler, notFound } from "./errors.mjs";

/**
 * @param {{ issuer: string, audience: string, jwksUrl: string, algorithms?: string[],
 *           log?: { warn: Function, error: Function } }} options
 */
export function createApp({ issuer, audience, jwksUrl, algorithms, log = console }) {
  const app = express();
  app.disable("x-powered-by");
  // Token failures are logged by code only: the message is for debugging, the token never.
  const auth = requireAuth({ issuer, audience, jwksUrl, algorithms, log: (e) => log.warn(`access token refused: ${e.code}`) });

  app.get("/public", (_req, res) => res.json({ message: "anyone can read this" }));
  app.get("/me", auth, (req, res) => res.json({ sub: req.user.sub, claims: req.user }));
  app.get("/admin", auth, requireRole("admin"), (req, res) => res.json({ message: "admin area", sub: req.user.sub }));
  app.get("/reports", auth, requireScope("reports:read"), (req, res) => res.json({ reports: [{ id: 1, title: "Q3 revenue" }] }));

  app.use(notFound);
  app.use(errorHandler((e) => log.error(e)));
  return app;
}
