/**
 * An error as it may be logged or shown: Drizzle's query errors carry the SQL and its
 * parameters (names, phone numbers, notes) in their message; those never leave the process.
 * Keeps the Postgres error's code and message where there is one.
 */
export function safeError(err: unknown): { name: string; message: string; code?: string } {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err).slice(0, 200) };
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { name: e.name, code, message: e.message.slice(0, 300) };
  }
  const message = err.message.startsWith('Failed query:') ? 'database query failed' : err.message.split('\nparams:')[0]!.slice(0, 300);
  return { name: err.name, message };
}
