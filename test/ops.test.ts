import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, postOutcome } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

const METRICS_TOKEN = 'scrape-token-0123456789';
const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ METRICS_TOKEN });
});
afterAll(() => t.close());

describe('ops endpoints', () => {
  it('/healthz answers without dependencies', async () => {
    expect(await t.request('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz checks Postgres and Redis', async () => {
    const res = await t.request('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual({ postgres: 'ok', redis: 'ok' });
  });

  it('/metrics exposes process and HTTP metrics in Prometheus format', async () => {
    await t.request('GET', '/api/me');
    const res = await t.request('GET', '/metrics', { headers: bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(res.body).toMatch(/^mahn_process_cpu_user_seconds_total /m);
    expect(res.body).toMatch(/mahn_http_request_duration_seconds_count\{method="GET",route="\/api\/me",status="401"\} 1/);
  });

  it('/metrics counts cases handed out (not a held one asked for again) and accepted outcomes by effect', async () => {
    const admin = (await t.userSession('admin')).cookie;
    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 2);
    const agent = (await t.userSession('agent', [clientId])).cookie;
    const counted = async () => (await t.request('GET', '/metrics', { headers: bearer })).body as string;
    const a = await next(t, agent);
    expect((await next(t, agent)).assignment.id).toBe(a.assignment.id); // the same held case
    expect((await postOutcome(t, agent, a.assignment.id, { outcome: 'not_reached' })).status).toBe(202);
    const b = await next(t, agent);
    expect((await postOutcome(t, agent, b.assignment.id, { outcome: 'paid' })).status).toBe(202);
    const text = await counted();
    expect(text).toMatch(/^mahn_assignments_total 2$/m);
    expect(text).toMatch(/^mahn_outcomes_total\{effect="retry"\} 1$/m);
    expect(text).toMatch(/^mahn_outcomes_total\{effect="close"\} 1$/m);
    // Counted where the outcome is answered 202, in the API: its help says so, not "the workers".
    expect(text).toMatch(/^# HELP mahn_outcomes_total .*\(answered 202\) by this API process/m);
  });

  it('/metrics refuses a request without the token or with a wrong one', async () => {
    for (const authorization of [undefined, `Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(0, -1)}`, `Basic ${METRICS_TOKEN}`, METRICS_TOKEN]) {
      const res = await t.request('GET', '/metrics', { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.body.error.code).toBe('unauthorized');
      expect(JSON.stringify(res.body)).not.toMatch(/mahn_/);
    }
  });

  it('/metrics is not there without METRICS_TOKEN; /healthz and /readyz stay open', async () => {
    const app = createApp({ ...t.deps, config: { ...t.config, METRICS_TOKEN: undefined } });
    for (const headers of [{}, bearer]) {
      const res = await app.fetch(new Request('http://localhost/metrics', { headers }));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/mahn_/);
    }
    expect((await app.fetch(new Request('http://localhost/healthz'))).status).toBe(200);
    expect((await app.fetch(new Request('http://localhost/readyz'))).status).toBe(200);
  });

  it('sends protective headers on API responses too', async () => {
    const res = await t.request('GET', '/api/me');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('unknown routes get the JSON error envelope', async () => {
    const res = await t.request('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/nothing-here' } });
  });
});

describe('OpenAPI', () => {
  it('documents every /api route the app serves, with its methods', async () => {
    const res = await t.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    );
    const served = t.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.path !== '/api/openapi.json' && !r.path.startsWith('/api/docs') && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(8);
    for (const route of served) expect(documented, route).toContain(route);
    for (const route of documented) expect(served, route).toContain(route);
  });

  it('serves browsable docs from its own origin only, under a strict CSP', async () => {
    const res = await t.request('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = res.body as string;
    // Every script is a file (no inline code, which the CSP would block anyway), no foreign URL.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\b(https?:)?\/\/[\w.-]+/);
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]*)"/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]*)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    expect(styles.length).toBeGreaterThanOrEqual(1);
    for (const url of urls) expect(url, url).toMatch(/^\/(?!\/)/);
    let init = '';
    for (const [list, type] of [[scripts, /^text\/javascript/], [styles, /^text\/css/]] as const) {
      for (const url of list) {
        const asset = await t.request('GET', url);
        expect(asset.status, url).toBe(200);
        expect(asset.headers.get('content-type'), url).toMatch(type);
        expect(asset.headers.get('x-content-type-options'), url).toBe('nosniff');
        if (/SwaggerUIBundle\(/.test(asset.body)) init = asset.body;
      }
    }
    expect(init).toContain("'/api/openapi.json'");
  });

  it('serves none of the Swagger UI package but the files the page needs', async () => {
    for (const path of ['/api/docs/index.html', '/api/docs/package.json', '/api/docs/swagger-initializer.js', '/api/docs/..%2F..%2Fpackage.json']) {
      expect((await t.request('GET', path)).status, path).toBe(404);
    }
  });
});
