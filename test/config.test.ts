import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, proxyWarnings } from '../src/config.js';
import { describeRedis } from '../src/redis/connection.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      QUEUE_PREFIX: 'mahn',
      LOCK_SECONDS: 300,
      JOB_LOCK_SECONDS: 30,
      DELIVERY_CRON: '*/15 * * * *',
      RETENTION_DAYS: 90,
      CTI_LINK_TEMPLATE: 'tel:{e164}',
      DATA_DIR: './data',
      ADMIN_USERNAME: 'admin',
    });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('finds Redis through sentinels when REDIS_SENTINELS is set; the URL then gives the password, never shown', () => {
    const c = loadConfig({ REDIS_SENTINELS: 'sentinel-a:26379,10.0.0.2:26380', REDIS_SENTINEL_NAME: 'mahn-primary', REDIS_URL: 'redis://:geheim@ignored:6379/2' });
    expect(c.redis).toEqual({ url: 'redis://:geheim@ignored:6379/2', sentinels: [{ host: 'sentinel-a', port: 26379 }, { host: '10.0.0.2', port: 26380 }], sentinelName: 'mahn-primary' });
    expect(describeRedis(c.redis)).toBe('sentinels sentinel-a:26379,10.0.0.2:26380 (primary "mahn-primary")');
    expect(describeRedis(loadConfig({ REDIS_URL: 'redis://user:geheim@redis.internal:6379/2' }).redis)).toBe('redis://redis.internal:6379/2');
    expect(loadConfig({}).redis).toEqual({ url: 'redis://127.0.0.1:6379' });
  });

  it('on a Redis Cluster hash-tags the key prefix, so every key of the installation shares one slot', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7000', QUEUE_PREFIX: 'mahn' });
    expect(c.QUEUE_PREFIX).toBe('{mahn}');
    expect(c.redis.clusterNodes).toEqual([{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7000 }]);
    expect(describeRedis(c.redis)).toBe('cluster 10.0.0.1:7000,10.0.0.2:7000');
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', QUEUE_PREFIX: '{mahn}' }).QUEUE_PREFIX).toBe('{mahn}');
    expect(loadConfig({ QUEUE_PREFIX: 'mahn' }).QUEUE_PREFIX).toBe('mahn');
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_SENTINELS: '10.0.0.3:26379' })).toThrow(/REDIS_CLUSTER_NODES: cannot be set together with REDIS_SENTINELS/);
    expect(() => loadConfig({ QUEUE_PREFIX: '{mahn' })).toThrow(/QUEUE_PREFIX/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'eighty', /PORT/],
    ['PORT', '70000', /PORT/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\//],
    ['REDIS_URL', 'not a url', /REDIS_URL/],
    ['REDIS_SENTINELS', 'sentinel-a', /REDIS_SENTINELS: must be host:port/],
    ['REDIS_SENTINELS', 'a:26379,', /REDIS_SENTINELS/],
    ['QUEUE_PREFIX', 'a:b', /QUEUE_PREFIX: .*no ":"/],
    ['LOCK_SECONDS', '1', /LOCK_SECONDS/],
    ['JOB_LOCK_SECONDS', '1', /JOB_LOCK_SECONDS/],
    ['CTI_LINK_TEMPLATE', 'tel:{phone}', /CTI_LINK_TEMPLATE: must contain \{e164\}/],
    ['ADMIN_PASSWORD', 'short', /ADMIN_PASSWORD: must be at least 10 characters/],
    ['DELIVERY_CRON', 'often', /DELIVERY_CRON: must be a cron expression/],
    ['DELIVERY_CRON', '99 * * * *', /DELIVERY_CRON: must be a cron expression whose fields are in range/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['METRICS_TOKEN', 'too-short', /METRICS_TOKEN: must be at least 16 characters/],
    ['METRICS_TOKEN', 'long enough but spaced', /METRICS_TOKEN: must not contain spaces/],
  ])('refuses %s=%s and names the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('checks click-to-dial settings at start: each mode names what it lacks', () => {
    expect(loadConfig({}).CTI_MODE).toBe('link');
    expect(() => loadConfig({ CTI_MODE: 'http' })).toThrow(/CTI_HTTP_URL: is required with CTI_MODE=http/);
    expect(() => loadConfig({ CTI_MODE: 'ari', CTI_ARI_URL: 'http://pbx:8088' })).toThrow(/CTI_ARI_USER: is required[\s\S]*CTI_ARI_PASSWORD: is required/);
    expect(() => loadConfig({ CTI_MODE: 'sip' })).toThrow(/CTI_MODE/);
    expect(() => loadConfig({ CTI_MODE: 'http', CTI_HTTP_URL: 'ftp://pbx/dial' })).toThrow(/CTI_HTTP_URL: must be an http/);
    // Node's fetch refuses such a URL: every dial would fail. The message does not repeat the password.
    const withPassword = () => loadConfig({ CTI_MODE: 'http', CTI_HTTP_URL: 'https://user:s3cret@pbx.example/dial?to={e164}' });
    expect(withPassword).toThrow(/CTI_HTTP_URL: must not hold a user or password.*CTI_HTTP_AUTH/);
    expect(withPassword).not.toThrow(/s3cret/);
    expect(() => loadConfig({ CTI_MODE: 'ari', CTI_ARI_URL: 'http://u:p@pbx:8088', CTI_ARI_USER: 'u', CTI_ARI_PASSWORD: 'p' })).toThrow(/CTI_ARI_URL: must not hold a user/);
    expect(loadConfig({ CTI_MODE: 'http', CTI_HTTP_URL: 'https://pbx.example/dial?to={e164}&at=@home' }).CTI_HTTP_URL).toContain('@home');
    expect(() => loadConfig({ CTI_MODE: 'http', CTI_HTTP_URL: 'http://pbx/dial', CTI_HTTP_HEADERS: '["a"]' })).toThrow(/CTI_HTTP_HEADERS: must be a JSON object/);
    expect(() => loadConfig({ CTI_TIMEOUT_MS: '0' })).toThrow(/CTI_TIMEOUT_MS/);
    const http = loadConfig({ CTI_MODE: 'http', CTI_HTTP_URL: 'https://pbx.example/dial?to={e164}', CTI_HTTP_HEADERS: '{"X-Key":"k"}' });
    expect(http).toMatchObject({ CTI_MODE: 'http', CTI_HTTP_METHOD: 'POST', CTI_HTTP_HEADERS: { 'X-Key': 'k' }, CTI_TIMEOUT_MS: 5000 });
    const ari = loadConfig({ CTI_MODE: 'ari', CTI_ARI_URL: 'http://pbx:8088', CTI_ARI_USER: 'u', CTI_ARI_PASSWORD: 'p' });
    expect(ari).toMatchObject({ CTI_ARI_ENDPOINT: 'PJSIP/{extension}', CTI_ARI_CONTEXT: 'from-internal', CTI_ARI_EXTENSION: '{e164}' });
  });

  it('lists every wrong variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', RETENTION_DAYS: '0' })).toThrow(/PORT[\s\S]*RETENTION_DAYS/);
  });
});

describe('proxyWarnings', () => {
  it('says what is missing behind a TLS proxy, and nothing when the two agree', () => {
    expect(proxyWarnings({ TRUST_PROXY: true, PUBLIC_ORIGIN: undefined })).toEqual([expect.stringMatching(/^TRUST_PROXY is set without PUBLIC_ORIGIN/)]);
    expect(proxyWarnings({ TRUST_PROXY: false, PUBLIC_ORIGIN: 'https://mahn.example' })).toEqual([expect.stringMatching(/^PUBLIC_ORIGIN is https but TRUST_PROXY is off/)]);
    expect(proxyWarnings({ TRUST_PROXY: true, PUBLIC_ORIGIN: 'https://mahn.example' })).toEqual([]);
    expect(proxyWarnings({ TRUST_PROXY: false, PUBLIC_ORIGIN: 'http://localhost:3000' })).toEqual([]);
    expect(proxyWarnings({ TRUST_PROXY: false, PUBLIC_ORIGIN: undefined })).toEqual([]);
  });
});
