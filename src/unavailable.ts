// Whether an error says a service is away (retrying later can succeed), not that the work is
// wrong: the API answers 503 for these, a background job is tried again.

/** PostgreSQL away: refused, dropped or timed-out connections, a server shutting down or starting. */
export function isDatabaseUnavailable(err: Error): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|CONNECTION_CLOSED|CONNECTION_DESTROYED|CONNECTION_ENDED|CONNECT_TIMEOUT)$/.test(code)) return true;
    if (/^(08|57P0)/.test(code)) return true;
  }
  return false;
}

/** Redis away: the connection closed or refused, a command that timed out or was not queued. */
export function isRedisUnavailable(err: Error): boolean {
  return /Stream isn't writeable|Connection is closed|ECONNREFUSED|enableOfflineQueue|Command timed out|max retries per request/i.test(err.message);
}

/** PostgreSQL or Redis away. */
export const isServiceUnavailable = (err: unknown): boolean => err instanceof Error && (isDatabaseUnavailable(err) || isRedisUnavailable(err));
