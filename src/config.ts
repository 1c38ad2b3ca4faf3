import { z } from 'zod';

/**
 * The one place that reads the environment. Every variable is documented in README.md
 * ("Configuration"); a wrong value stops start-up with a message naming the variable.
 */

const cron = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression with 5 or 6 fields');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const url = (schemes: string[]) =>
  z.url().refine((v) => schemes.some((s) => v.startsWith(`${s}://`)), `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public origin (scheme://host[:port]) used for the CSRF Origin check behind a proxy; default: the request's own. */
  PUBLIC_ORIGIN: z.url().transform((u) => new URL(u).origin).optional(),
  TRUST_PROXY: bool.default(false),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  /** Connections per process to DATABASE_URL: many agents pull at once. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only (no ":")').default('mahn'),
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  MAIL_FROM: z.string().min(3).default('Mahnanrufe <mahnanrufe@localhost>'),
  ADMIN_USERNAME: z.string().min(2).max(64).default('admin'),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  LOCK_SECONDS: z.coerce.number().int().min(2).max(3600).default(300),
  DELIVERY_CRON: cron.default('*/15 * * * *'),
  /** Tries per result-list mail; the waits between them double from DELIVERY_RETRY_SECONDS (8 × 30 s: the last ~64 min after the first). */
  DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  DELIVERY_RETRY_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  CTI_LINK_TEMPLATE: z.string().includes('{e164}', { message: 'must contain {e164}' }).default('tel:{e164}'),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_HOURS: z.coerce.number().min(1).max(24 * 7).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(200_000),
  /** Bearer token the Prometheus scraper sends for /metrics; unset: /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Tests only: the process SIGKILLs itself at the named point between two writes (see src/failpoint.ts). */
  FAILPOINT: z.string().regex(/^[a-z]+\.[A-Za-z]+$/, 'a failpoint name such as delivery.afterSend').optional(),
  /** `npm start` only: start a child redis-server when nothing answers on REDIS_URL's default. */
  EMBEDDED_REDIS: bool.default(true),
});

export type Config = z.infer<typeof envSchema> & { redisUrl: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset: `FOO=` in a .env file should mean "default", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, redisUrl: parsed.data.REDIS_URL ?? 'redis://127.0.0.1:6379' };
}
