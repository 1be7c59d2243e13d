// The app's last two handlers: unknown routes answer 404 JSON, and every error answers JSON
// with a fixed text, never a stack trace or an exception's message (Express's default handler
// prints the stack unless NODE_ENV=production).
import { STATUS_CODES } from "node:http";

export function notFound(_req, res) {
  res.status(404).json({ error: "not_found" });
}

/** `log` sees the real error; the client sees only its status. */
export function errorHandler(log = console.error) {
  // Express recognizes an error handler by its four parameters.
  return function handleError(err, req, res, next) {
    // Errors Express and body parsers raise for the client's request (bad JSON, too large)
    // carry a 4xx status and `expose`; everything else is ours: 500.
    const status = err?.expose && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log(err);
    if (res.headersSent) return req.socket.destroy();
    res.status(status).json({ error: status === 500 ? "server_error" : (STATUS_CODES[status] ?? "client error").toLowerCase().replaceAll(" ", "_") });
  };
}
