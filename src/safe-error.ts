/**
 * An error as it may be logged or shown: Drizzle's query errors carry the SQL and its
 * parameters (names, phone numbers, notes) in their message; those never leave the process.
 * Keeps the Postgres error's code and message where there is one.
 */
export function safeError(err: unknown): { name: string; message: string; code?: string } {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err).slice(0, 200) };
  const failedQuery = err.message.startsWith('Failed query:');
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    // PostgreSQL quotes the offending value after a colon (`invalid input syntax for type uuid: "…"`).
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { name: e.name, code, message: withoutValues(e.message.replace(/:\s*".*$/s, '')).slice(0, 300) };
    // The connection's own failure (`connect ECONNREFUSED 10.0.0.5:5432`, postgres.js's
    // CONNECTION_CLOSED): what an operator needs in an outage, and no customer data.
    if (typeof code === 'string' && /^[A-Z][A-Z_]{3,}$/.test(code) && e !== err) {
      return { name: err.name, code, message: `${failedQuery ? 'database query failed: ' : ''}${withoutValues(e.message).slice(0, 200)}` };
    }
  }
  const message = failedQuery ? 'database query failed' : withoutValues(err.message.split('\nparams:')[0]!).slice(0, 300);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z_]{3,}$/.test(code) ? { name: err.name, code, message } : { name: err.name, message };
}

/**
 * A message with what it quotes left out: an e-mail address (a mail server refusing a
 * recipient names it), a quoted value (`value "…" is out of range`).
 */
function withoutValues(message: string): string {
  return message.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '‹address›').replace(/"[^"]*"/g, '"…"');
}

/** The call sites of a stack (`    at …` lines), without its message, which may hold SQL parameters. */
export function safeStack(err: Error, lines = 8): string | undefined {
  return err.stack
    ?.split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, lines)
    .join('\n');
}

/**
 * What a log line may say of any value logged as `err` (pino serializer): an Error as its safe
 * message, code and call sites; a message string cut before its SQL and parameters.
 */
export function logSafeError(value: unknown): unknown {
  if (value instanceof Error) {
    // `type`, as pino's own serializer names it: the logger redacts `*.name` (a customer's).
    const { name, ...rest } = safeError(value);
    return { type: name, ...rest, stack: safeStack(value) };
  }
  if (typeof value === 'string') return value.startsWith('Failed query:') ? 'database query failed' : withoutValues(value.split('\nparams:')[0]!).slice(0, 300);
  return value;
}
