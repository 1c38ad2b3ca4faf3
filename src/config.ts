import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { redisTargetOf, type RedisTarget } from './redis/target.js';

/**
 * The one place that reads the environment. Every variable is documented in README.md
 * ("Configuration"); a wrong value stops start-up with a message naming the variable.
 */

/** Checked by the parser BullMQ's job schedulers use (pinned to BullMQ's version): a value it refuses would stop the workers at start. */
const cron = z
  .string()
  .regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression with 5 or 6 fields')
  .refine((v) => {
    try {
      CronExpressionParser.parse(v);
      return true;
    } catch {
      return false;
    }
  }, 'must be a cron expression whose fields are in range (minute 0-59, hour 0-23, …)');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const url = (schemes: string[]) =>
  z.url().refine((v) => schemes.some((s) => v.startsWith(`${s}://`)), `must start with ${schemes.map((s) => `${s}://`).join(' or ')}`);

const hostPorts = z
  .string()
  .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be host:port[,host:port…]')
  .transform((v) => v.split(',').map((hp) => ({ host: hp.slice(0, hp.lastIndexOf(':')), port: Number(hp.slice(hp.lastIndexOf(':') + 1)) })));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Public origin (scheme://host[:port]) used for the CSRF Origin check behind a proxy; default: the request's own. */
  PUBLIC_ORIGIN: z.url().transform((u) => new URL(u).origin).optional(),
  TRUST_PROXY: bool.default(false),
  DATABASE_URL: url(['postgres', 'postgresql']).optional(),
  /** Connections per process to DATABASE_URL: many agents pull at once. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: url(['redis', 'rediss']).optional(),
  // The three below become `config.redis` (`redisTargetOf` in src/redis/target.ts).
  /** Redis with failover: the sentinels (`host:port,…`) that name the primary; REDIS_URL then gives only its password and db. */
  REDIS_SENTINELS: hostPorts.optional(),
  /** Redis Cluster: some of its nodes (`host:port,…`); every key the product makes is then hash-tagged with `{QUEUE_PREFIX}`. */
  REDIS_CLUSTER_NODES: hostPorts.optional(),
  /** The primary's name as the sentinels know it (`sentinel monitor <name> …`). */
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ., _ and - only').default('mymaster'),
  QUEUE_PREFIX: z.string().regex(/^([A-Za-z0-9_-]{1,40}|\{[A-Za-z0-9_-]{1,40}\})$/, 'letters, digits, _ and - only (no ":"), or those in braces').default('mahn'),
  SMTP_URL: url(['smtp', 'smtps']).optional(),
  /** `smtp://` to a host other than this machine: refuse to send unless the server offers STARTTLS (result lists are customer data). */
  SMTP_REQUIRE_TLS: bool.default(true),
  MAIL_FROM: z.string().min(3).default('Mahnanrufe <mahnanrufe@localhost>'),
  ADMIN_USERNAME: z.string().min(2).max(64).default('admin'),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  LOCK_SECONDS: z.coerce.number().int().min(2).max(3600).default(300),
  /** How long heartbeats keep one case locked to an agent: a tab left open overnight must not hold a case (and its callback window) for good. */
  HOLD_MAX_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /** An import's or result-list delivery's lock, renewed every half of it: a workers process that died with one is taken over within this plus the stall check (≤ 5 s). */
  JOB_LOCK_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
  DELIVERY_CRON: cron.default('*/15 * * * *'),
  /** Tries per result-list mail; the waits between them double from DELIVERY_RETRY_SECONDS (8 × 30 s: the last ~64 min after the first). */
  DELIVERY_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  DELIVERY_RETRY_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  CTI_LINK_TEMPLATE: z.string().includes('{e164}', { message: 'must contain {e164}' }).default('tel:{e164}'),
  /** Click-to-dial: `link` (the agent's browser opens CTI_LINK_TEMPLATE), `http` (generic HTTP request) or `ari` (Asterisk). */
  CTI_MODE: z.enum(['link', 'http', 'ari']).default('link'),
  /** How long a dial request may take before the agent is told the phone system does not answer. */
  CTI_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** `http`: the request URL, a template with {e164} and {extension} (URL-encoded where they stand). */
  CTI_HTTP_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL (a template with {e164} and {extension})')
    // Node's fetch refuses a URL with credentials in it: every dial would fail.
    .refine((v) => !/^https?:\/\/[^/?#]*@/.test(v), 'must not hold a user or password (user:password@host): set CTI_HTTP_AUTH instead')
    .optional(),
  CTI_HTTP_METHOD: z.enum(['GET', 'POST', 'PUT']).default('POST'),
  /** `http`: extra headers as a JSON object of templates, e.g. {"Content-Type":"application/json"}. */
  CTI_HTTP_HEADERS: z
    .string()
    .transform((v, ctx) => {
      try {
        const parsed: unknown = JSON.parse(v);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((h) => typeof h === 'string')) return parsed as Record<string, string>;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of header names to string templates' });
      return z.NEVER;
    })
    .default({}),
  /** `http`: the request body, a template with {e164} and {extension}; unset: no body. */
  CTI_HTTP_BODY: z.string().optional(),
  /** `http`: the Authorization header's value (`Bearer …`, `Basic …`); a secret, never logged. */
  CTI_HTTP_AUTH: z.string().optional(),
  /** `ari`: Asterisk's HTTP base URL, e.g. http://pbx:8088 (ARI under /ari). */
  CTI_ARI_URL: url(['http', 'https'])
    .refine((v) => !/^https?:\/\/[^/?#]*@/.test(v), 'must not hold a user or password (user:password@host): set CTI_ARI_USER and CTI_ARI_PASSWORD instead')
    .optional(),
  CTI_ARI_USER: z.string().optional(),
  /** `ari`: the ARI user's password (basic auth); a secret, never logged. */
  CTI_ARI_PASSWORD: z.string().optional(),
  /** `ari`: the channel that rings first, the agent's phone; template with {extension}. */
  CTI_ARI_ENDPOINT: z.string().includes('{extension}', { message: 'must contain {extension}' }).default('PJSIP/{extension}'),
  /** `ari`: dialplan context and extension the answered channel continues in (the customer's number). */
  CTI_ARI_CONTEXT: z.string().min(1).default('from-internal'),
  CTI_ARI_EXTENSION: z.string().includes('{e164}', { message: 'must contain {e164}' }).default('{e164}'),
  CTI_ARI_CALLER_ID: z.string().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_HOURS: z.coerce.number().min(1).max(24 * 7).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
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

/** Settings a CTI mode cannot work without, checked at start so a typo is found then, not at the first dial. */
const CTI_REQUIRED = { link: [], http: ['CTI_HTTP_URL'], ari: ['CTI_ARI_URL', 'CTI_ARI_USER', 'CTI_ARI_PASSWORD'] } as const;

const checkedEnv = envSchema.superRefine((env, ctx) => {
  if (env.REDIS_SENTINELS && env.REDIS_CLUSTER_NODES) ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'cannot be set together with REDIS_SENTINELS' });
  for (const key of CTI_REQUIRED[env.CTI_MODE]) {
    if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required with CTI_MODE=${env.CTI_MODE}` });
  }
});

/** The Redis variables are read once, by `redisTargetOf`: the rest of the code reads `redis`. */
type RedisVariables = 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME' | 'REDIS_CLUSTER_NODES';

export type Config = Omit<z.infer<typeof envSchema>, RedisVariables> & { redisUrl: string; redis: RedisTarget };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset: `FOO=` in a .env file should mean "default", not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checkedEnv.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { REDIS_SENTINELS, REDIS_SENTINEL_NAME, REDIS_CLUSTER_NODES, ...rest } = parsed.data;
  const redisUrl = rest.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = redisTargetOf({ REDIS_SENTINELS, REDIS_SENTINEL_NAME, REDIS_CLUSTER_NODES }, redisUrl);
  // On a cluster every key of one installation shares a hash slot (BullMQ's cluster guide): the
  // scripts that touch several queues' keys (BullMQ's, the ready index) stay on one node.
  const QUEUE_PREFIX = redis.clusterNodes && !rest.QUEUE_PREFIX.startsWith('{') ? `{${rest.QUEUE_PREFIX}}` : rest.QUEUE_PREFIX;
  return { ...rest, QUEUE_PREFIX, redisUrl, redis };
}

/** Settings that work only together behind a TLS proxy: what is missing, said at start. */
export function proxyWarnings(config: Pick<Config, 'TRUST_PROXY' | 'PUBLIC_ORIGIN'>): string[] {
  // Behind a TLS proxy the request URL says http://…; the browser's Origin says https://….
  if (config.TRUST_PROXY && !config.PUBLIC_ORIGIN) {
    return ['TRUST_PROXY is set without PUBLIC_ORIGIN: browser writes will fail the CSRF origin check; set PUBLIC_ORIGIN=https://your.host'];
  }
  if (!config.TRUST_PROXY && config.PUBLIC_ORIGIN?.startsWith('https://')) {
    return [
      'PUBLIC_ORIGIN is https but TRUST_PROXY is off: behind the TLS proxy every request looks like plain http from the proxy, so session cookies go without Secure and all users share one address for login throttling; set TRUST_PROXY=true',
    ];
  }
  return [];
}
