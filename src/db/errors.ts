/** The Postgres error behind a driver or Drizzle error (Drizzle wraps it in `cause`). */
function pgError(err: unknown): { code?: string; constraint_name?: string; constraint?: string } | null {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    if ('code' in e && typeof (e as { code: unknown }).code === 'string' && /^\d{2}[0-9A-Z]{3}$/.test((e as { code: string }).code)) {
      return e as { code?: string; constraint_name?: string };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** True for a unique violation, optionally of the named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = pgError(err);
  if (pg?.code !== '23505') return false;
  return !constraint || pg.constraint_name === constraint || pg.constraint === constraint;
}
