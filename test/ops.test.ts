import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers/context.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
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
    const res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(res.body).toMatch(/^mahn_process_cpu_user_seconds_total /m);
    expect(res.body).toMatch(/mahn_http_request_duration_seconds_count\{method="GET",route="\/api\/me",status="401"\} 1/);
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
      .filter((r) => r.path.startsWith('/api/') && !['/api/openapi.json', '/api/docs'].includes(r.path) && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(8);
    for (const route of served) expect(documented, route).toContain(route);
    for (const route of documented) expect(served, route).toContain(route);
  });

  it('serves browsable docs', async () => {
    const res = await t.request('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/swagger-ui/i);
    expect(res.body).toContain('/api/openapi.json');
  });
});
